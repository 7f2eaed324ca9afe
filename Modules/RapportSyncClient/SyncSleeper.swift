import RapportProtocol

/// How the engine waits between retries; injectable so tests never wait.
public protocol SyncSleeper: Sendable {
    /// Waits about `milliseconds` (or returns early when cancelled).
    func sleep(milliseconds: Int64) async
}

/// Waits with `Task.sleep`.
public struct TaskSleeper: SyncSleeper {
    /// Creates the sleeper.
    public init() {}

    /// Sleeps; cancellation ends the wait early.
    public func sleep(milliseconds: Int64) async {
        try? await Task.sleep(nanoseconds: UInt64(max(milliseconds, 0)) * 1_000_000)
    }
}
