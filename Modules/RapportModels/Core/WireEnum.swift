/// An enum whose raw values are part of the wire format.
///
/// Decoding an unknown raw value throws a ``ValidationError`` with rule ``ValidationError/Rule/enumValue``
/// that lists the allowed values, instead of a generic `DecodingError`.
public protocol WireEnum: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue: Codable & Sendable & Hashable {}

extension WireEnum {
    /// The allowed raw values, as text, in declaration order.
    public static var wireValues: [String] { allCases.map { "\($0.rawValue)" } }

    static func unknownValue(_ raw: some Any, decoder: any Decoder) -> ValidationError {
        let field = RapportJSON.dotted(decoder.codingPath)
        return ValidationError(
            entity: "", field: field, rule: .enumValue,
            message: "'\(raw)' is not a valid value for '\(field)'; use one of: "
                + wireValues.joined(separator: ", ") + ".")
    }
}

extension WireEnum where RawValue == String {
    /// Decodes the raw value; an unknown one throws ``ValidationError/Rule/enumValue``.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(rawValue: raw) else { throw Self.unknownValue(raw, decoder: decoder) }
        self = value
    }
}

extension WireEnum where RawValue == Int {
    /// Decodes the raw value; an unknown one throws ``ValidationError/Rule/enumValue``.
    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(Int.self)
        guard let value = Self(rawValue: raw) else { throw Self.unknownValue(raw, decoder: decoder) }
        self = value
    }
}
