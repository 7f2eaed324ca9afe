/// Why a record left the device's scope. Open set; unknown reasons still mean "purge".
public struct EvictionReason: RawRepresentable, Codable, Sendable, Hashable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: String
    /// Wraps a wire value.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// The wire value.
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

    /// The customer was given to another owner or team.
    public static let reassigned = EvictionReason(rawValue: "reassigned")
    /// A grant that made the record visible was revoked.
    public static let grantRevoked = EvictionReason(rawValue: "grantRevoked")
    /// A grant that made the record visible expired.
    public static let grantExpired = EvictionReason(rawValue: "grantExpired")
    /// The customer's tier changed (key customers are visible to their account manager only).
    public static let tierChange = EvictionReason(rawValue: "tierChange")
    /// Any other loss of visibility (role change, notice period, policy change).
    public static let scopeChanged = EvictionReason(rawValue: "scopeChanged")
}
