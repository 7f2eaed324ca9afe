import Foundation
import RapportModels

/// One record's change in a pull page.
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
    /// For `full`, every field; for `partial`, the changed ones; empty for `deleted`.
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
}
