/// Why the server refused a mutation. An open set: clients must treat unknown codes as a
/// permanent refusal and show the message.
public struct RejectionCode: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The code as written on the wire.
    public let rawValue: String

    /// Wraps a wire code.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// The code.
    public var description: String { rawValue }

    /// Decodes any string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes the string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The merged record breaks a validation rule; `field` and `rule` say which.
    public static let validation = RejectionCode(rawValue: "validation")
    /// The caller may not write this record or field (out of scope, read-only, masked).
    public static let forbidden = RejectionCode(rawValue: "forbidden")
    /// The mutation writes a field only the server writes (version, timestamps, tier, ...).
    public static let serverOnlyField = RejectionCode(rawValue: "serverOnlyField")
    /// The mutation changes a field that is fixed once the record exists.
    public static let immutableField = RejectionCode(rawValue: "immutableField")
    /// The record was deleted; deletion wins over concurrent edits.
    public static let recordDeleted = RejectionCode(rawValue: "recordDeleted")
    /// An update or delete names a record the server does not have.
    public static let notFound = RejectionCode(rawValue: "notFound")
    /// A create names a record id that already exists.
    public static let alreadyExists = RejectionCode(rawValue: "alreadyExists")
    /// The mutation is malformed: unknown field, missing counter base, bad operation.
    public static let invalidMutation = RejectionCode(rawValue: "invalidMutation")
}
