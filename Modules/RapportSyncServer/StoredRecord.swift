import Foundation
import RapportModels
import RapportProtocol

/// A record as the server keeps it: normalised fields plus per-field merge state.
public struct StoredRecord: Sendable, Hashable {
    /// The record's kind and id.
    public var key: RecordKey
    /// The current version (1 after the create, +1 per accepted change).
    public var version: Int64
    /// Whether the record is a tombstone.
    public var deleted: Bool
    /// When it was deleted (Unix ms), for tombstone retention.
    public var deletedAtMillis: Int64?
    /// Every field by registry path, as `Entity.fieldMap()` makes it.
    public var fields: FieldMap
    /// Per-field clock, version and sequence of the last change.
    public var fieldStates: [String: FieldState]
    /// The change-log sequence of the last change.
    public var sequence: Int64

    /// Creates a stored record.
    public init(
        key: RecordKey, version: Int64, deleted: Bool = false, deletedAtMillis: Int64? = nil, fields: FieldMap,
        fieldStates: [String: FieldState], sequence: Int64
    ) {
        self.key = key
        self.version = version
        self.deleted = deleted
        self.deletedAtMillis = deletedAtMillis
        self.fields = fields
        self.fieldStates = fieldStates
        self.sequence = sequence
    }

    /// The owner, from the `ownerId` field.
    public var ownerId: UUID? { fields["ownerId"]?.stringValue.flatMap(UUID.init(uuidString:)) }
}
