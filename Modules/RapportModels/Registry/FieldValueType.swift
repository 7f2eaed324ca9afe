/// The JSON shape of a field's value, as the registry describes it.
public enum FieldValueType: Sendable, Hashable {
    /// A JSON string.
    case string
    /// A JSON integer.
    case integer
    /// An amount of ``Money``: a JSON integer in minor units.
    case money
    /// A JSON number, integral or not.
    case number
    /// A JSON boolean.
    case bool
    /// An ISO-8601 timestamp string (see ``RapportJSON``).
    case timestamp
    /// A `YYYY-MM-DD` string (see ``CalendarDate``).
    case calendarDate
    /// A UUID string.
    case uuid
    /// A string that must be one of the listed raw values.
    case enumeration([String])
    /// An integer that must be one of the listed values.
    case integerEnumeration([Int])
    /// An ordered JSON array of strings.
    case stringList
    /// A JSON array of distinct strings, sorted when written.
    case stringSet
    /// A JSON array of objects (structured lists such as relationships).
    case objectList
    /// Any JSON value (custom fields of unknown definition).
    case json

    /// A short name for documentation: `string`, `enum(a|b)`, `money`, ...
    public var name: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .money: "money"
        case .number: "number"
        case .bool: "bool"
        case .timestamp: "timestamp"
        case .calendarDate: "calendarDate"
        case .uuid: "uuid"
        case .enumeration(let values): "enum(" + values.joined(separator: "|") + ")"
        case .integerEnumeration(let values): "enum(" + values.map(String.init).joined(separator: "|") + ")"
        case .stringList: "[string]"
        case .stringSet: "set<string>"
        case .objectList: "[object]"
        case .json: "json"
        }
    }
}
