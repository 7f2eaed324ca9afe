import ArgumentParser
import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// `rapport-client sync`: pushes local edits, pulls changes, and reports what happened.
///
/// On a terminal a progress line is redrawn in place on stderr while pulling (the server
/// gives no total, so it shows records, pages and the rate); otherwise a plain line per page.
public struct SyncCommand: AsyncParsableCommand {
    /// The command's description.
    public static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push local edits, pull changes, and report conflicts and refusals.")

    @OptionGroup var device: DeviceOptions

    /// Creates the command.
    public init() {}

    /// Syncs once.
    public func run() async throws {
        let terminal = Terminal.current
        let json = device.json
        let report = try await device.withClient { client -> SyncReport in
            let updates = await client.engine.statusUpdates()
            let progress = Task { await SyncProgress(terminal: terminal).follow(updates) }
            do {
                let report = try await client.sync()
                progress.cancel()
                await progress.value
                return report
            } catch {
                progress.cancel()
                await progress.value
                throw error
            }
        }
        if json {
            Display.printJSON(Self.json(report))
        } else {
            for line in Self.lines(report) { terminal.print(line) }
        }
    }

    /// The report as lines for people.
    static func lines(_ report: SyncReport) -> [String] {
        let evicted = report.purged.filter { if case .evicted = $0.cause { true } else { false } }.count
        var lines = [
            "pushed \(report.applied + report.merged) edits (\(report.applied) applied, \(report.merged) merged)",
            "pulled \(report.changesApplied) records in \(report.pages) page\(report.pages == 1 ? "" : "s")\(report.reset ? " (re-synced from scratch)" : "")",
            "purged \(report.purged.count) records (\(evicted) left your scope)",
            "conflicts: \(report.conflicts.count), rejected edits: \(report.rejections.count)",
        ]
        if !report.conflicts.isEmpty || !report.rejections.isEmpty {
            lines.append("see them with rapport-client conflicts")
        }
        let discarded = report.purged.reduce(0) { $0 + $1.discardedEdits }
        if discarded > 0 { lines.append("\(discarded) local edits were discarded with records that left your scope") }
        if let limit = report.readLimit {
            lines.append("incomplete: \(limit.message) (in \(limit.retryAfterSeconds / 3_600) h \(limit.retryAfterSeconds % 3_600 / 60) min)")
        }
        return lines
    }

    /// The report as JSON.
    static func json(_ report: SyncReport) -> JSONValue {
        let evicted = report.purged.filter { if case .evicted = $0.cause { true } else { false } }.count
        return [
            "applied": .int(Int64(report.applied)), "merged": .int(Int64(report.merged)),
            "conflicts": .int(Int64(report.conflicts.count)), "rejections": .int(Int64(report.rejections.count)),
            "purged": .int(Int64(report.purged.count)), "evicted": .int(Int64(evicted)),
            "pages": .int(Int64(report.pages)), "recordsPulled": .int(Int64(report.changesApplied)),
            "reset": .bool(report.reset),
            "readLimit": report.readLimit.map { limit in
                ["message": .string(limit.message), "retryAfterSeconds": .int(Int64(limit.retryAfterSeconds))]
            } ?? .null,
        ]
    }
}
