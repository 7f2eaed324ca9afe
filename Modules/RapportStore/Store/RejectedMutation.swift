import Foundation
import RapportModels

/// A local edit the server refused, kept in the store (table `rejected_mutation`) until the
/// user has seen it, so it survives a restart. Written by
/// ``EncryptedStore/acknowledge(_:rebase:)`` in the same transaction that rolls the record back.
public struct RejectedMutation: Sendable, Hashable {
    /// The refused mutation's id.
    public var mutationId: UUID
    /// The record's kind.
    public var kind: EntityKind
    /// The record.
    public var recordId: UUID
    /// What the edit did.
    public var operation: OutboxEntry.Operation
    /// The values the edit wrote (so the user can redo it).
    public var fields: [String: JSONValue]
    /// The server's reason code (e.g. `validation`, `forbidden`; opaque here).
    public var reasonCode: String
    /// The server's message, for the user.
    public var message: String
    /// The field the refusal is about, if one.
    public var field: String?
    /// The server's record the local copy was rolled back to (`nil`: it was purged).
    public var serverDocument: RecordDocument?
    /// When the refusal was recorded.
    public var rejectedAt: Date

    /// Creates a record of a refusal.
    public init(
        mutationId: UUID, kind: EntityKind, recordId: UUID, operation: OutboxEntry.Operation,
        fields: [String: JSONValue], reasonCode: String, message: String, field: String? = nil,
        serverDocument: RecordDocument? = nil, rejectedAt: Date
    ) {
        self.mutationId = mutationId
        self.kind = kind
        self.recordId = recordId
        self.operation = operation
        self.fields = fields
        self.reasonCode = reasonCode
        self.message = message
        self.field = field
        self.serverDocument = serverDocument
        self.rejectedAt = rejectedAt
    }
}
