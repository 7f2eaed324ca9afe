import Foundation
import RapportModels

/// The local state of a record rebuilt on top of new server state: the record as the user
/// should now see it and the record's outbox entries with their bases moved accordingly.
///
/// Returned by the closure ``EncryptedStore/applyPage(documents:deletions:evictions:cursor:rebase:)``
/// and ``EncryptedStore/acknowledge(_:rebase:)`` call, inside their transaction, for every
/// record whose server state changed while it still has outbox entries.
public struct LocalRebase: Sendable, Hashable {
    /// The new local state (written without an outbox entry, see
    /// ``EncryptedStore/replaceLocal(_:)``).
    public var document: RecordDocument
    /// Updated outbox entries, matched by ``OutboxEntry/mutationId``; only `fields` and
    /// `baseFields` of *pending* entries are taken (an entry being sent is never changed).
    public var entries: [OutboxEntry]

    /// Creates a rebase result.
    public init(document: RecordDocument, entries: [OutboxEntry] = []) {
        self.document = document
        self.entries = entries
    }
}

/// Computes a ``LocalRebase`` from the new server document and the record's outbox entries
/// (oldest first); `nil` keeps the local record as it is. Runs inside a write transaction:
/// keep it pure and quick.
public typealias LocalRebaser = @Sendable (_ server: RecordDocument, _ entries: [OutboxEntry]) -> LocalRebase?

/// A record removed from the device by ``EncryptedStore/applyPage(documents:deletions:evictions:cursor:rebase:)``
/// or ``EncryptedStore/acknowledge(_:rebase:)``.
public struct PurgedLocalRecord: Sendable, Hashable {
    /// The record.
    public var id: UUID
    /// Its kind, when the device held it.
    public var kind: EntityKind?
    /// Whether the device held it (a record, tombstone or server state).
    public var wasKnown: Bool
    /// Outbox entries discarded with it.
    public var discardedEntries: Int

    /// Creates a purge report.
    public init(id: UUID, kind: EntityKind? = nil, wasKnown: Bool, discardedEntries: Int) {
        self.id = id
        self.kind = kind
        self.wasKnown = wasKnown
        self.discardedEntries = discardedEntries
    }
}

/// What applying a pull page or a push acknowledgement changed.
public struct SyncApplication: Sendable, Hashable {
    /// Records whose local edits were kept over the new server state (rebased or not).
    public var kept: Set<UUID> = []
    /// Records whose local state was rebuilt by the rebaser.
    public var rebased: Set<UUID> = []
    /// Records purged (deletions, evictions, records gone after a push), in the order given.
    public var purged: [PurgedLocalRecord] = []

    /// An empty result.
    public init() {}
}

/// Push results to record in one transaction; see ``EncryptedStore/acknowledge(_:rebase:)``.
public struct PushAcknowledgement: Sendable, Hashable {
    /// Outbox entries the server answered (applied, merged or refused): removed.
    public var mutationIds: [UUID]
    /// The server's records after the push: each becomes the record's server state, and its
    /// local state too unless outbox entries remain (then the rebaser decides).
    public var documents: [RecordDocument]
    /// Records the server no longer has, or the device may no longer see: purged with their
    /// remaining outbox entries.
    public var purge: [UUID]
    /// Refusals to keep until the user has seen them.
    public var rejections: [RejectedMutation]
    /// Values to write with ``EncryptedStore/setAppState(_:to:)`` in the same transaction
    /// (for example the engine's list of reported conflicts).
    public var appState: [String: String]

    /// Creates an acknowledgement.
    public init(
        mutationIds: [UUID], documents: [RecordDocument] = [], purge: [UUID] = [], rejections: [RejectedMutation] = [],
        appState: [String: String] = [:]
    ) {
        self.mutationIds = mutationIds
        self.documents = documents
        self.purge = purge
        self.rejections = rejections
        self.appState = appState
    }
}
