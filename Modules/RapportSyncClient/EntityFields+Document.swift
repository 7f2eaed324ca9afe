import RapportModels
import RapportProtocol
import RapportStore

/// Store documents for records whose kind is known only at run time: the client side of
/// ``EntityFields``.
extension EntityFields {
    /// A store document for the record held in `fields` as a server sent it: masked values
    /// that do not fit the field's type (the withheld-value marker
    /// `{"masked": true, "fieldClass": …}`, or a list holding one) are stored as `null`, so the
    /// record stays readable as its entity (an empty list for list fields); partially masked strings (`138****5678`) are kept.
    /// Which paths are masked is kept apart (`MaskedPaths`).
    public static func document(_ kind: EntityKind, fields: FieldMap, configuration: StoreConfiguration) throws -> RecordDocument {
        try document(of: try entity(kind, from: withoutMarkers(kind, fields)), configuration: configuration)
    }

    /// A store document for `entity`.
    public static func document(of entity: any Entity, configuration: StoreConfiguration) throws -> RecordDocument {
        func make<E: Entity>(_ value: E) throws -> RecordDocument {
            try RecordDocument(value, searchableFields: configuration.searchableFields)
        }
        return try make(entity)
    }
}
