import RapportProtocol

/// How a ``SyncEngine`` batches, pages and retries.
public struct SyncEngineConfiguration: Sendable, Hashable {
    /// Mutations per push (at most the server's ``SyncLimits/maxBatchSize``). Default 100.
    public var batchSize: Int
    /// Changes per pull page (at most ``SyncLimits/maxPageSize``). Default 200.
    public var pageSize: Int
    /// Attempts per request before giving up on retryable failures. Default 5.
    public var maxAttempts: Int
    /// The first retry delay; doubled per attempt. Default 500 ms.
    public var initialBackoffMillis: Int64
    /// The longest retry delay. Default 30 s.
    public var maxBackoffMillis: Int64
    /// The most push rounds in one sync (edits keep arriving while syncing). Default 50.
    public var maxPushRounds: Int

    /// The defaults.
    public init(
        batchSize: Int = 100, pageSize: Int = 200, maxAttempts: Int = 5, initialBackoffMillis: Int64 = 500,
        maxBackoffMillis: Int64 = 30_000, maxPushRounds: Int = 50
    ) {
        self.batchSize = batchSize
        self.pageSize = pageSize
        self.maxAttempts = maxAttempts
        self.initialBackoffMillis = initialBackoffMillis
        self.maxBackoffMillis = maxBackoffMillis
        self.maxPushRounds = maxPushRounds
    }

    /// The delay before retry number `attempt` (1-based): exponential, capped.
    public func backoff(attempt: Int) -> Int64 {
        var delay = initialBackoffMillis
        for _ in 1..<max(attempt, 1) where delay < maxBackoffMillis { delay *= 2 }
        return min(delay, maxBackoffMillis)
    }
}
