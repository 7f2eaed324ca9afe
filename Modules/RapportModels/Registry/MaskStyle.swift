/// How access control hides a field's value from a principal who may not see its class.
public enum MaskStyle: String, Codable, Sendable, CaseIterable, Hashable {
    /// A phone number keeps its first three and last four digits: `138****5678`.
    case phone
    /// An e-mail keeps the first character of the local part and the domain: `w***@example.cn`.
    case email
    /// The value is withheld entirely: access control sends a marker object in its place
    /// (`{"masked": true, "fieldClass": "sensitive"}`, see `Docs/Security.md`) so a client can
    /// show that a value exists. Also the style of ordinary fields, which are never masked.
    case withhold
}
