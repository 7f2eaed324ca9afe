import Foundation
import RapportModels

/// One record's change in a pull page. A `full` change leaves out every `null` field
/// (``FullRecordFields``); a `partial` change lists every changed path, `null` meaning cleared.
public struct RecordChange: Codable, Sendable, Hashable {
    /// How to apply the change.
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// The whole record (it entered the device's scope, or this is a first sync): replace.
        case full
        /// Only the listed fields changed since the cursor: apply them over the shadow.
        case partial
        /// The record was deleted: remove it.
        case deleted
    }

    /// The record's kind.
    public var entity: EntityKind
    /// The record's id.
    public var recordId: UUID
    /// The server version after the change; apply only if newer than the local shadow.
    public var version: Int64
    /// Full, partial or deleted.
    public var kind: Kind
    /// For `full`, every field (on the wire without its `null` ones); for `partial`, the changed
    /// ones; empty for `deleted`.
    public var fields: FieldMap
    /// Paths whose values are masked for this device.
    public var masked: [String]?

    /// Creates a change.
    public init(entity: EntityKind, recordId: UUID, version: Int64, kind: Kind, fields: FieldMap = [:], masked: [String]? = nil) {
        self.entity = entity
        self.recordId = recordId
        self.version = version
        self.kind = kind
        self.fields = fields
        self.masked = masked
    }

    enum CodingKeys: String, CodingKey {
        case entity, recordId, version, kind, fields, masked
    }

    /// Encodes the change; a `full` record's `null` fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        try container.encode(recordId, forKey: .recordId)
        try container.encode(version, forKey: .version)
        try container.encode(kind, forKey: .kind)
        try container.encode(kind == .full ? FullRecordFields.compacted(entity, fields) : fields, forKey: .fields)
        try container.encodeIfPresent(masked, forKey: .masked)
    }
}
