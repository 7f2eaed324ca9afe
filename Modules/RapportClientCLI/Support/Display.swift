import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore

/// Turning values into text for people and JSON for scripts.
enum Display {
    /// A JSON value as people read it: strings bare, `—` for null, lists comma-separated.
    static func text(_ value: JSONValue?) -> String {
        guard let value else { return "—" }
        switch value {
        case .null: return "—"
        case .string(let text): return text
        case .bool(let flag): return flag ? "yes" : "no"
        case .int(let number): return String(number)
        case .double(let number): return String(number)
        case .array(let elements):
            if elements.isEmpty { return "[]" }
            if elements.allSatisfy({ $0.stringValue != nil }) { return elements.map(text).joined(separator: ", ") }
            return compact(value)
        case .object: return compact(value)
        }
    }

    /// Compact JSON text (sorted keys).
    static func compact(_ value: JSONValue) -> String {
        (try? value.jsonData()).map { String(decoding: $0, as: UTF8.self) } ?? "?"
    }

    /// A timestamp in ISO-8601 UTC.
    static func date(_ date: Date?) -> String {
        date.map(RapportJSON.string(from:)) ?? "never"
    }

    /// The first 8 characters of an id, as tables show it.
    static func short(_ id: UUID) -> String {
        String(id.uuidString.lowercased().prefix(8))
    }

    /// An id as JSON.
    static func id(_ id: UUID) -> JSONValue { .string(id.uuidString.lowercased()) }

    /// Prints a JSON document on stdout.
    static func printJSON(_ value: JSONValue, terminal: Terminal = .current) {
        terminal.print(compact(value))
    }

    /// Whether a value is empty (null, empty list, empty string): shown as masked when masked.
    static func isEmpty(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .array(let elements)?: elements.isEmpty
        case .string(let text)?: text.isEmpty
        default: false
        }
    }
}
