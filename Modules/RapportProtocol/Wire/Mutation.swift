import Foundation
import RapportModels

/// One local change, as pushed to the server (`Docs/Protocol.md`, "Push").
///
/// ```json
/// {"clientMutationId": "…", "entity": "customer", "recordId": "…", "op": "update",
///  "baseVersion": 4, "fields": {"name": "王芳"}, "base": {"name": "王 芳"},
///  "hlc": "1772358600250-00000-device-a"}
/// ```
public struct Mutation: Codable, Sendable, Hashable {
    /// The client-made id that makes the push idempotent: the server applies each id once.
    public var clientMutationId: UUID
    /// The record's kind.
    public var entity: EntityKind
    /// The record's id (made by the client that created it).
    public var recordId: UUID
    /// Create, update or delete.
    public var op: MutationOperation
    /// The server version the edit started from; 0 for a create.
    public var baseVersion: Int64
    /// The changed fields only, by registry path, with their new values.
    public var fields: FieldMap
    /// The values the client started from for each changed field (its shadow of the server
    /// record when the first coalesced edit was made). Required for counter fields of an
    /// update; used for conflict detection and reports otherwise.
    public var base: FieldMap?
    /// The clock of the (latest) edit.
    public var hlc: HLCTimestamp
    /// Per-field clocks where coalesced edits differ from ``hlc``; missing fields use ``hlc``.
    public var fieldHlc: [String: HLCTimestamp]?

    /// Creates a mutation.
    public init(
        clientMutationId: UUID, entity: EntityKind, recordId: UUID, op: MutationOperation, baseVersion: Int64,
        fields: FieldMap, base: FieldMap? = nil, hlc: HLCTimestamp, fieldHlc: [String: HLCTimestamp]? = nil
    ) {
        self.clientMutationId = clientMutationId
        self.entity = entity
        self.recordId = recordId
        self.op = op
        self.baseVersion = baseVersion
        self.fields = fields
        self.base = base
        self.hlc = hlc
        self.fieldHlc = fieldHlc
    }

    /// The clock of the edit that set `path`.
    public func clock(of path: String) -> HLCTimestamp { fieldHlc?[path] ?? hlc }
}
