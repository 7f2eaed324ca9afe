import Foundation
import RapportModels

/// The JSON conventions of the Rapport API (camelCase keys, ISO-8601 dates with fractional
/// seconds in UTC), shared by every request the tool sends.
enum RapportWire {
    /// Encodes request bodies.
    static var encoder: JSONEncoder { RapportJSON.encoder() }
    /// Decodes typed responses (login, tokens).
    static var decoder: JSONDecoder { RapportJSON.decoder() }

    /// The ISO-8601 text of `date`, as query parameters carry it.
    static func timestamp(_ date: Date) -> String { RapportJSON.string(from: date) }
    /// Parses an ISO-8601 timestamp.
    static func date(_ text: String) -> Date? { RapportJSON.date(from: text) }
}
