import Foundation
import RapportModels

/// A local mutation waiting to be pushed to the server.
///
/// Written in the same transaction as the change it describes. Edits made before a sync
/// coalesce: a later edit of a field replaces the earlier one, create + update is one create,
/// create + delete cancel out, update + delete is a delete.
public struct OutboxEntry: Sendable, Hashable {
    /// What the mutation does.
    public enum Operation: String, Sendable, Hashable {
        /// The record is new.
        case create
        /// Some fields changed.
        case update
        /// The record was deleted.
        case delete
    }

    /// Whether the mutation has been handed to the sync engine.
    public enum State: String, Sendable, Hashable {
        /// Not sent yet; later edits coalesce into it.
        case pending
        /// Sent and not yet acknowledged; later edits get their own entry.
        case sending
    }

    /// The order in which mutations were made.
    public var sequence: Int64
    /// The client-made mutation id, for idempotent pushes.
    public var mutationId: UUID
    /// The record's kind.
    public var kind: EntityKind
    /// The record.
    public var recordId: UUID
    /// What the mutation does.
    public var operation: Operation
    /// The server version the edit started from (0 for a create).
    public var baseVersion: Int64
    /// The changed fields by dotted path (empty for a delete).
    public var fields: [String: JSONValue]
    /// For an update, the value each changed field had before the entry's first edit of it
    /// (the local value then, which is the server state unless an edit in flight changed it):
    /// the *base* of the server's three-way merge, so counter deltas and set additions stay
    /// exact. Kept when later edits coalesce; a field that was `null`/absent has `.null`.
    /// Empty for creates and deletes.
    public var baseFields: [String: JSONValue]
    /// The clock of the edit that set each field.
    public var fieldClocks: [String: String]
    /// The clock of the latest edit (opaque; provided by the sync layer).
    public var clock: String
    /// Whether it was sent.
    public var state: State
}
