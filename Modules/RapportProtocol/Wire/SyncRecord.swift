import Foundation
import RapportModels

/// A record's full server state as sent to one device: every field the device may see, by
/// registry path, with masked fields listed. Its `null` fields are left out on the wire
/// (``FullRecordFields``).
public struct SyncRecord: Codable, Sendable, Hashable {
    /// The record's kind.
    public var entity: EntityKind
    /// The record's id.
    public var id: UUID
    /// The server version.
    public var version: Int64
    /// Whether the record is deleted (a tombstone); `fields` is then the last state.
    public var deleted: Bool
    /// Every field by registry path; masked fields hold their masked value.
    public var fields: FieldMap
    /// Paths whose values are masked for this device; the client must not edit them.
    public var masked: [String]?

    /// Creates a record.
    public init(entity: EntityKind, id: UUID, version: Int64, deleted: Bool = false, fields: FieldMap, masked: [String]? = nil) {
        self.entity = entity
        self.id = id
        self.version = version
        self.deleted = deleted
        self.fields = fields
        self.masked = masked
    }

    enum CodingKeys: String, CodingKey {
        case entity, id, version, deleted, fields, masked
    }

    /// Encodes the record; its `null` fields are left out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        try container.encode(id, forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(deleted, forKey: .deleted)
        try container.encode(FullRecordFields.compacted(entity, fields), forKey: .fields)
        try container.encodeIfPresent(masked, forKey: .masked)
    }
}
