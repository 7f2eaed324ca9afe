import Foundation
import RapportModels

/// Validation of records that hold masked values: masked values (`138****8000`, or `null`
/// for a withheld value) do not pass `validate()` (`Docs/Protocol.md` §12), so the check runs on
/// a copy with every masked path cleared — the rules of the fields the person can see still hold.
enum MaskedValidation {
    /// Validates the record held in `fields` with `masked` paths cleared.
    static func validate(_ kind: EntityKind, fields: [String: JSONValue], masked: Set<String>) throws {
        var copy = fields
        for path in masked where copy[path] != nil {
            switch FieldRegistry.descriptor(kind, path)?.valueType {
            case .stringList?, .stringSet?, .objectList?: copy[path] = .array([])
            default: copy[path] = .null
            }
        }
        let entity = try kind.entityType.from(fieldMap: copy)
        try entity.validate()
    }
}
