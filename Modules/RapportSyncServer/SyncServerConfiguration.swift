import RapportModels
import RapportProtocol

/// How a ``SyncServer`` behaves.
public struct SyncServerConfiguration: Sendable {
    /// Size limits.
    public var limits: SyncLimits
    /// How far ahead of the server's wall clock a client HLC may be before it is clamped.
    public var maxClockAheadMillis: Int64
    /// The node name of the server's HLC; give each instance its own (`server-1`).
    public var clockNode: String
    /// Custom field definitions: their merge policies apply, and values are validated
    /// against them when the list is not empty.
    public var customFieldDefinitions: [CustomFieldDefinition]
    /// How long deletions, change-log entries and mutation ids are kept (default 30 days).
    /// Must exceed the longest time a device may stay offline and still push (its key lease).
    public var historyRetentionMillis: Int64
    /// How many times a mutation is re-merged after losing a commit race.
    public var maxCommitAttempts: Int

    /// The defaults.
    public init(
        limits: SyncLimits = SyncLimits(), maxClockAheadMillis: Int64 = HybridLogicalClock.defaultMaxAheadMillis,
        clockNode: String = "server", customFieldDefinitions: [CustomFieldDefinition] = [],
        historyRetentionMillis: Int64 = 30 * 86_400_000, maxCommitAttempts: Int = 8
    ) {
        self.limits = limits
        self.maxClockAheadMillis = maxClockAheadMillis
        self.clockNode = clockNode
        self.customFieldDefinitions = customFieldDefinitions
        self.historyRetentionMillis = historyRetentionMillis
        self.maxCommitAttempts = maxCommitAttempts
    }
}
