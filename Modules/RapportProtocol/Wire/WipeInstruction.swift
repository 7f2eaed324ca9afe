/// An instruction to crypto-shred the device's store (`Docs/Protocol.md`, "Wipe").
public struct WipeInstruction: Codable, Sendable, Hashable {
    /// Why the device must wipe. Open set; unknown reasons still mean "wipe".
    public struct Reason: RawRepresentable, Codable, Sendable, Hashable {
        /// The wire value.
        public let rawValue: String
        /// Wraps a wire value.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Decodes any string.
        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        /// Encodes the string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
        /// The device was revoked (lost, replaced, or offboarded).
        public static let deviceRevoked = Reason(rawValue: "deviceRevoked")
        /// The staff member was revoked (left the organisation).
        public static let staffRevoked = Reason(rawValue: "staffRevoked")
    }

    /// Why.
    public var reason: Reason
    /// What to tell the user.
    public var message: String

    /// Creates an instruction.
    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }
}
