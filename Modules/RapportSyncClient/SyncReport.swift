import Foundation
import RapportModels
import RapportProtocol
import RapportStore

/// What one ``SyncEngine/sync()`` did.
public struct SyncReport: Sendable, Hashable {
    /// Mutations the server applied as sent.
    public var applied: Int = 0
    /// Mutations the server merged with concurrent changes.
    public var merged: Int = 0
    /// Lost edits, to show the user.
    public var conflicts: [ReportedConflict] = []
    /// Refused edits, rolled back locally.
    public var rejections: [RejectedEdit] = []
    /// Records purged because they left the scope or were deleted.
    public var purged: [PurgedRecord] = []
    /// Pull pages applied.
    public var pages: Int = 0
    /// Record changes applied from pulls.
    public var changesApplied: Int = 0
    /// Whether the device re-synced from scratch.
    public var reset: Bool = false
    /// Set when the server cut the pull short at the person's read quota: what it said. The
    /// rest arrives on a sync after ``ReadLimit/retryAfterSeconds``.
    public var readLimit: ReadLimit?

    /// An empty report.
    public init() {}
}

/// A lost edit of this device's or of another, reported by the server.
public struct ReportedConflict: Codable, Sendable, Hashable {
    /// The mutation whose push revealed it.
    public var clientMutationId: UUID
    /// The record.
    public var entity: EntityKind
    /// The record id.
    public var recordId: UUID
    /// The field, base, yours, theirs and result.
    public var conflict: FieldConflict

    /// Creates a report.
    public init(clientMutationId: UUID, entity: EntityKind, recordId: UUID, conflict: FieldConflict) {
        self.clientMutationId = clientMutationId
        self.entity = entity
        self.recordId = recordId
        self.conflict = conflict
    }
}

/// A local edit the server refused; the local record was rolled back to the server's truth.
public struct RejectedEdit: Sendable, Hashable {
    /// The mutation.
    public var clientMutationId: UUID
    /// The record.
    public var entity: EntityKind
    /// The record id.
    public var recordId: UUID
    /// What the edit did.
    public var op: MutationOperation
    /// The values the edit wrote (so the user can redo it).
    public var fields: FieldMap
    /// Why it was refused.
    public var rejection: Rejection

    /// Creates a report.
    public init(clientMutationId: UUID, entity: EntityKind, recordId: UUID, op: MutationOperation, fields: FieldMap, rejection: Rejection) {
        self.clientMutationId = clientMutationId
        self.entity = entity
        self.recordId = recordId
        self.op = op
        self.fields = fields
        self.rejection = rejection
    }
}

extension RejectedEdit {
    /// The report of a refusal kept in the store.
    init(stored: RejectedMutation) {
        self.init(
            clientMutationId: stored.mutationId, entity: stored.kind, recordId: stored.recordId,
            op: MutationOperation(rawValue: stored.operation.rawValue) ?? .update, fields: stored.fields,
            rejection: Rejection(code: RejectionCode(rawValue: stored.reasonCode), message: stored.message, field: stored.field))
    }
}

/// A record removed from the device by sync.
public struct PurgedRecord: Sendable, Hashable {
    /// Why it was removed.
    public enum Cause: Sendable, Hashable {
        /// It left the scope for this reason.
        case evicted(EvictionReason)
        /// It was deleted on the server.
        case deleted
        /// The server no longer has it or the device may no longer see it after a push.
        case goneAfterPush
        /// Dropped by a reset (re-sync from scratch).
        case reset
    }

    /// The record's kind.
    public var entity: EntityKind
    /// The record id.
    public var recordId: UUID
    /// Why.
    public var cause: Cause
    /// Local edits that were waiting to be pushed and were discarded with it.
    public var discardedEdits: Int

    /// Creates a report.
    public init(entity: EntityKind, recordId: UUID, cause: Cause, discardedEdits: Int) {
        self.entity = entity
        self.recordId = recordId
        self.cause = cause
        self.discardedEdits = discardedEdits
    }
}
