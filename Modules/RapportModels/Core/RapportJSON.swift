import Foundation

/// Rapport's JSON conventions: sorted keys, ISO-8601 UTC timestamps with milliseconds.
///
/// Every component that writes or reads records uses these so the bytes are the same
/// everywhere (hashes, audit entries, conformance tests). Timestamps are written as
/// `2026-03-01T08:30:00.250Z`; the decoder also accepts them without fractional seconds and
/// with a numeric offset (`+08:00`). Timestamps carry millisecond precision on the wire — see
/// ``roundedToWirePrecision(_:)``.
///
/// ```swift
/// let data = try RapportJSON.encoder().encode(customer)
/// let back = try RapportJSON.decode(Customer.self, from: data)   // throws ValidationError
/// ```
public enum RapportJSON {
    /// A new encoder with sorted keys and Rapport's timestamp format.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(from: date))
        }
        return encoder
    }

    /// A new decoder that reads Rapport's timestamp format (with or without fractional seconds).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container,
                    debugDescription:
                        "'\(text)' is not an ISO-8601 timestamp; send it like 2026-03-01T08:30:00.250Z."
                )
            }
            return date
        }
        return decoder
    }

    /// The ISO-8601 text Rapport writes for `date`, e.g. `2026-03-01T08:30:00.250Z`.
    public static func string(from date: Date) -> String { Timestamp.string(from: date) }

    /// Parses an ISO-8601 timestamp as the decoder does, or returns `nil`.
    public static func date(from string: String) -> Date? { Timestamp.date(from: string) }

    /// `date` as it comes back after an encode and decode: rounded to the millisecond.
    ///
    /// Compare a freshly made date with a decoded one through this.
    public static func roundedToWirePrecision(_ date: Date) -> Date {
        Timestamp.date(fromMilliseconds: Timestamp.milliseconds(of: date))
    }
}
