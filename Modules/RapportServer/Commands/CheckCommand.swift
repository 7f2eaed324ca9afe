import ArgumentParser
import Foundation
import GRDB
import Logging

/// `rapport-server check --data-dir D`: checks a stopped server's data directory — SQLite's
/// integrity check over the whole database, the schema version, and the audit log's hash chain,
/// checkpoints and anchors — and exits 1 with a precise report when anything is wrong.
///
/// It takes the data directory's lock, so it refuses (naming the pid) while a server runs on
/// it, and it writes nothing: a database whose schema is older than this server is reported,
/// not upgraded.
///
/// ```
/// $ rapport-server check --data-dir /var/lib/rapport
/// database: ok (integrity check passed, 1843 pages)
/// audit log: ok (the audit log is intact: 5120 entries, 51 checkpoints, 51 anchors agree)
/// ```
public struct CheckCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a stopped server's database (SQLite integrity) and audit log; exit 1 on damage.")

    @Option(name: .long, help: "Data directory of the server.") var dataDir: String = "./rapport-data"
    @Option(name: .long, help: "Audit anchor file, if not the data directory's audit-anchors.log.")
    var auditAnchorFile: String?

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// What ``check(dataDirectory:auditAnchorFile:)`` found.
    public struct Report: Sendable {
        /// Whether everything checked is intact.
        public var passed: Bool
        /// One line per finding, `area: finding`.
        public var lines: [String]
    }

    /// Runs the checks and prints the report.
    public func run() async throws {
        let report: Report
        do {
            report = try await Self.check(dataDirectory: dataDir, auditAnchorFile: auditAnchorFile)
        } catch {
            FileHandle.standardError.write(Data("rapport-server check: \(ServerError.from(error).message)\n".utf8))
            throw ExitCode.failure
        }
        print(report.lines.joined(separator: "\n"))
        if !report.passed {
            FileHandle.standardError.write(
                Data(
                    "rapport-server check: the data directory '\(dataDir)' is damaged (see above); restore the latest good backup (`rapport-server restore`) and keep this copy for investigation\n"
                        .utf8))
            throw ExitCode.failure
        }
    }

    /// Checks the data directory at `dataDirectory`.
    ///
    /// - Throws: ``ServerError/Code/notFound`` without a database there;
    ///   ``ServerError/Code/serverRunning`` while a server holds the directory.
    public static func check(dataDirectory: String, auditAnchorFile: String? = nil) async throws -> Report {
        let directory = DataDirectory(path: dataDirectory)
        guard FileManager.default.fileExists(atPath: directory.databasePath) else {
            throw ServerError(.notFound, "there is no server database in '\(dataDirectory)'; check --data-dir")
        }
        let lock = try DataDirectoryLock(directory)
        defer { lock.release() }
        var lines: [String] = []
        let schemaCurrent: Bool
        do {
            let queue = try DatabaseQueue(path: directory.databasePath)
            defer { try? queue.close() }
            let problems = try await queue.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check(100)") }
            guard problems == ["ok"] else {
                lines += problems.map { "database: damaged: \($0)" }
                return Report(passed: false, lines: lines)
            }
            let (pages, applied) = try await queue.read { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                let applied =
                    try db.tableExists("grdb_migrations")
                    ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                return (pages, applied)
            }
            lines.append("database: ok (integrity check passed, \(pages) pages)")
            let known = SQLiteServerStorage.migrator.migrations
            let unknown = Set(applied).subtracting(known).sorted()
            guard unknown.isEmpty else {
                lines.append(
                    "schema: written by a newer server (unknown schema changes \(unknown.joined(separator: ", "))); check it with that server version"
                )
                return Report(passed: false, lines: lines)
            }
            let pending = known.filter { !applied.contains($0) }
            schemaCurrent = pending.isEmpty
            if !schemaCurrent {
                lines.append(
                    "schema: older than this server (\(pending.count) schema changes pending; the server applies them at its next start); the audit log was not checked"
                )
            }
        } catch {
            lines.append("database: damaged or not a database: \(error)")
            return Report(passed: false, lines: lines)
        }
        guard schemaCurrent else { return Report(passed: true, lines: lines) }

        let storage = try SQLiteServerStorage(path: directory.databasePath)
        defer { try? storage.close() }
        let keyFile = AuditKeyFile(directory: directory)
        if !FileManager.default.fileExists(atPath: directory.auditKeyPath),
            try await storage.lastAuditEntry() != nil
        {
            lines.append(
                "audit log: cannot be verified: the audit key file '\(directory.auditKeyPath)' is missing; put back the copy kept apart from backups"
            )
            return Report(passed: false, lines: lines)
        }
        var logger = Logger(label: "rapport-server.check")
        logger.logLevel = .critical
        let audit = AuditService(
            storage: storage, keyFile: keyFile,
            anchors: AuditAnchorFile(path: auditAnchorFile ?? directory.auditAnchorsPath), logger: logger)
        let report = try await audit.verify()
        if report.intact {
            lines.append("audit log: ok (\(report.message))")
        } else {
            lines.append("audit log: damaged: \(report.message)")
            lines += report.findings.map { "audit log: \($0)" }
        }
        return Report(passed: report.intact, lines: lines)
    }
}
