import RapportProtocol

/// What the engine is doing, for the UI: observe ``SyncEngine/statusUpdates()``.
public struct SyncStatus: Sendable, Hashable {
    /// The current activity.
    public enum Phase: Sendable, Hashable {
        /// Not syncing.
        case idle
        /// Pushing local edits: mutations acknowledged so far and the total at the start.
        case pushing(done: Int, total: Int)
        /// Pulling: pages and changes applied so far.
        case pulling(pages: Int, changes: Int)
        /// Waiting before retry `attempt` after a failure.
        case backingOff(attempt: Int, delayMillis: Int64)
        /// The store was wiped on the server's instruction; the engine is finished.
        case wiped
    }

    /// The current activity.
    public var phase: Phase
    /// When the last complete sync finished (Unix ms).
    public var lastSuccessMillis: Int64?
    /// Local edits waiting to be pushed.
    public var pendingCount: Int
    /// Conflicts reported and not yet cleared.
    public var conflictCount: Int
    /// Rejected edits reported and not yet cleared.
    public var rejectionCount: Int
    /// The last failure's message, until a sync succeeds.
    public var lastError: String?

    /// An idle status.
    public init(
        phase: Phase = .idle, lastSuccessMillis: Int64? = nil, pendingCount: Int = 0, conflictCount: Int = 0,
        rejectionCount: Int = 0, lastError: String? = nil
    ) {
        self.phase = phase
        self.lastSuccessMillis = lastSuccessMillis
        self.pendingCount = pendingCount
        self.conflictCount = conflictCount
        self.rejectionCount = rejectionCount
        self.lastError = lastError
    }
}
