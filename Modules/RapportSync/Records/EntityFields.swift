import Foundation
import RapportModels
import RapportStore

/// Conversions between field maps, entities and store documents for records whose kind is
/// known only at run time.
public enum EntityFields {
    /// Builds the entity of `kind` from a field map (not validated).
    ///
    /// - Throws: `ValidationError` if a path is unknown or a required field is missing.
    public static func entity(_ kind: EntityKind, from fields: FieldMap) throws -> any Entity {
        try kind.entityType.from(fieldMap: fields)
    }

    /// Builds and validates the entity, returning it with its normalised field map.
    public static func validated(_ kind: EntityKind, from fields: FieldMap) throws -> (entity: any Entity, fields: FieldMap) {
        let entity = try entity(kind, from: fields)
        try entity.validate()
        return (entity, try entity.fieldMap())
    }

    /// A store document for the record held in `fields` as a server sent it: masked values
    /// that do not fit the field's type (the withheld-value marker
    /// `{"masked": true, "fieldClass": …}`, or a list holding one) are stored as `null`, so the
    /// record stays readable as its entity (an empty list for list fields); partially masked strings (`138****5678`) are kept.
    /// Which paths are masked is kept apart (``MaskedPaths``).
    public static func document(_ kind: EntityKind, fields: FieldMap, configuration: StoreConfiguration) throws -> RecordDocument {
        try document(of: try entity(kind, from: withoutMarkers(kind, fields)), configuration: configuration)
    }

    /// `fields` with every withheld-value marker (and every list holding one) replaced by an
    /// empty list for list fields and `null` otherwise.
    public static func withoutMarkers(_ kind: EntityKind, _ fields: FieldMap) -> FieldMap {
        var result = fields
        for (path, value) in fields where isMarker(value) {
            switch FieldRegistry.descriptor(kind, path)?.valueType {
            case .stringList, .stringSet, .objectList: result[path] = .array([])
            default: result[path] = .null
            }
        }
        return result
    }

    /// Whether `value` is, or is a list holding, the withheld-value marker.
    public static func isMarker(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let object): object["masked"] == .bool(true)
        case .array(let elements): elements.contains(where: isMarker)
        default: false
        }
    }

    /// A store document for `entity`.
    public static func document(of entity: any Entity, configuration: StoreConfiguration) throws -> RecordDocument {
        func make<E: Entity>(_ value: E) throws -> RecordDocument {
            try RecordDocument(value, searchableFields: configuration.searchableFields)
        }
        return try make(entity)
    }

    /// The field map of a stored JSON document of `kind`.
    public static func fields(_ kind: EntityKind, json: String) throws -> FieldMap {
        func decode<E: Entity>(_ type: E.Type) throws -> FieldMap {
            try RapportJSON.decode(E.self, from: Data(json.utf8)).fieldMap()
        }
        return try decode(kind.entityType)
    }
}
