import Foundation
import RapportSyncClient

/// Shows sync progress from `SyncEngine.statusUpdates()`: on a terminal, an indeterminate bar
/// with records, pages and rate, redrawn in place with `\r` on stderr about ten times a second
/// (the server sends no total); otherwise a plain line per pulled page.
struct SyncProgress {
    let terminal: Terminal
    let started = Date()

    /// The latest phase, shared between the status reader and the redraw ticker.
    actor Latest {
        var phase: SyncStatus.Phase = .idle
        var drew = false
        func set(_ phase: SyncStatus.Phase) { self.phase = phase }
        func markDrawn() { drew = true }
    }

    func follow(_ updates: AsyncStream<SyncStatus>) async {
        let latest = Latest()
        let terminal = self.terminal
        let started = self.started
        await withTaskGroup(of: Void.self) { group in
            if terminal.stderrIsTerminal {
                group.addTask {
                    var frame = 0
                    while !Task.isCancelled {
                        switch await latest.phase {
                        case .pulling(let pages, let changes):
                            terminal.progress(
                                Self.bar(
                                    frame: frame, pages: pages, changes: changes,
                                    elapsed: Date().timeIntervalSince(started)))
                            await latest.markDrawn()
                        case .pushing(let done, let total):
                            terminal.progress("pushing \(done)/\(total) edits")
                            await latest.markDrawn()
                        default:
                            break
                        }
                        frame += 1
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                }
            }
            var lastPages = -1
            for await status in updates {
                if Task.isCancelled { break }
                await latest.set(status.phase)
                switch status.phase {
                case .pulling(let pages, let changes):
                    if !terminal.stderrIsTerminal, pages != lastPages, pages > 0 {
                        terminal.printError("pulled \(changes) records in \(pages) pages")
                    }
                    lastPages = pages
                case .backingOff(let attempt, let delay):
                    terminal.endProgress()
                    terminal.printError("the server did not answer; retry \(attempt) in \(delay) ms")
                default:
                    break
                }
            }
            group.cancelAll()
        }
        if await latest.drew { terminal.endProgress() }
    }

    /// One frame of the progress line: a block bouncing in a 20-cell bar, then the counts.
    static func bar(frame: Int, pages: Int, changes: Int, elapsed: TimeInterval) -> String {
        let width = 20
        let position = frame % (2 * (width - 4))
        let start = position < width - 4 ? position : 2 * (width - 4) - position
        let cells = (0..<width).map { $0 >= start && $0 < start + 4 ? "█" : "░" }.joined()
        let rate = elapsed > 0.05 ? Int(Double(changes) / elapsed) : 0
        return "syncing [\(cells)] \(changes) records, \(pages) pages, \(rate) records/s"
    }
}
