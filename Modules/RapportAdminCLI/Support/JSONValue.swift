import Foundation

/// Any JSON value, as the admin API answers it. The tool renders the server's answers without
/// a second copy of every response type: tables pick fields by key path, `--json` prints the
/// value as it came.
///
/// ```swift
/// let staff = try JSONValue(data: body)
/// staff["team.name"]?.text   // "Sales North"
/// ```
public enum JSONValue: Sendable, Hashable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text.
    ///
    /// - Throws: ``AdminError/Code/unexpectedResponse`` if `data` is not JSON.
    public init(data: Data) throws(AdminError) {
        do {
            self = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw AdminError(
                .unexpectedResponse,
                "the server answered something that is not JSON; check that --server points at a Rapport server")
        }
    }

    /// Encodes any `Encodable` value (dates in Rapport's ISO-8601 form).
    public init(encoding value: some Encodable) throws {
        let data = try RapportWire.encoder.encode(value)
        self = try JSONDecoder().decode(JSONValue.self, from: data)
    }

    /// Decodes from a JSON decoder.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// Encodes to a JSON encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value at a dotted key path (`"staff.name"`, `"counts.devices"`), or `nil`.
    public subscript(path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            guard case .object(let object)? = current else { return nil }
            current = object[String(key)]
        }
        return current
    }

    /// The first of `paths` that holds a non-null value.
    public func first(_ paths: String...) -> JSONValue? {
        for path in paths {
            if let value = self[path], value != .null { return value }
        }
        return nil
    }

    /// The elements of an array, or of the first array found under `keys` in an object
    /// (`{"staff": [...]}`, `{"items": [...]}`), or `[]`.
    public func items(_ keys: String...) -> [JSONValue] {
        if case .array(let array) = self { return array }
        for key in keys + ["items", "results", "data"] {
            if case .array(let array)? = self[key] { return array }
        }
        return []
    }

    /// A short human rendering: strings as they are, numbers without `.0`, arrays joined
    /// with commas, `null` as empty.
    public var text: String {
        switch self {
        case .null: ""
        case .bool(let value): value ? "yes" : "no"
        case .number(let value):
            value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.2f", value)
        case .string(let value): value
        case .array(let values): values.map(\.text).joined(separator: ", ")
        case .object(let object):
            object.keys.sorted().map { "\($0)=\(object[$0]!.text)" }.joined(separator: " ")
        }
    }

    /// The string, if this is one.
    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as an integer, if this is one.
    public var int: Int? {
        if case .number(let value) = self { return Int(value) }
        return nil
    }

    /// The boolean, if this is one.
    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Pretty-printed JSON with sorted keys.
    public func prettyPrinted() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    /// One-line JSON with sorted keys (a JSON Lines record).
    public func compact() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }
}
