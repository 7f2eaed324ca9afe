import Foundation

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux crashed once in
/// `memcpy` while several tests launched processes at the same moment (a full `swift test`
/// run, 2026-12-07); the launch itself is short, so serialising it costs nothing and takes
/// that race off the table. Every test helper that starts a process goes through here.
public enum ProcessLaunch {
    private static let lock = NSLock()

    /// Runs `process.run()` while no other test helper is launching one.
    public static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
