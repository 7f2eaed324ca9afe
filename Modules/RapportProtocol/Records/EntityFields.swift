import Foundation
import RapportModels

/// Conversions between field maps and entities for records whose kind is known only at run
/// time. The client's store documents are built in `RapportSyncClient`
/// (`EntityFields+Document.swift`).
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

    /// The field map of a stored JSON document of `kind`.
    public static func fields(_ kind: EntityKind, json: String) throws -> FieldMap {
        func decode<E: Entity>(_ type: E.Type) throws -> FieldMap {
            try RapportJSON.decode(E.self, from: Data(json.utf8)).fieldMap()
        }
        return try decode(kind.entityType)
    }
}
