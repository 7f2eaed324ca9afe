import RapportProtocol

/// One atomic write the sync core asks storage to make: a new record state (with its
/// change-log entry) and/or the outcome of a mutation id.
public struct RecordCommit: Sendable, Hashable {
    /// The record state to store; its `sequence` and the field states marked with sequence 0
    /// are filled in by storage with the newly assigned sequence.
    public var record: StoredRecord?
    /// The version the record had when it was read (0 = did not exist). Storage must refuse
    /// the commit with ``SyncStorageConflict`` if the stored version differs (optimistic
    /// concurrency: the core then re-reads and merges again).
    public var expectedVersion: Int64
    /// The paths whose values changed, for the change log.
    public var changedPaths: [String]
    /// The mutation outcome to remember; storage must refuse the commit with
    /// ``SyncStorageConflict`` if this mutation id is already recorded.
    public var outcome: StoredMutationOutcome?

    /// Creates a commit.
    public init(record: StoredRecord?, expectedVersion: Int64, changedPaths: [String], outcome: StoredMutationOutcome?) {
        self.record = record
        self.expectedVersion = expectedVersion
        self.changedPaths = changedPaths
        self.outcome = outcome
    }
}

/// A commit lost a race (the record changed, or the mutation id was recorded, since it was
/// read). The sync core retries; storage implementations throw it, never the client.
public struct SyncStorageConflict: Error, Sendable, Hashable {
    /// Creates the error.
    public init() {}
}
