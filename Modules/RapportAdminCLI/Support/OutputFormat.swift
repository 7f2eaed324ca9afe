import Foundation
import RapportCLISupport

/// How a command prints its result: `-o table` (the default, for people), `-o json`, `-o yaml`,
/// or `-o jsonpath=EXPR` (one value per line, for scripts), optionally narrowed to some fields
/// with `--fields a,b` (like `gh --json a,b`).
///
/// ```
/// rapport-admin staff list -o yaml
/// rapport-admin staff list --fields id,name,status -o json
/// rapport-admin staff list -o 'jsonpath={.items[*].name}'
/// ```
public enum OutputFormat: Sendable, Hashable {
    /// Aligned tables and sentences for people.
    case table
    /// The server's answer as pretty-printed JSON with sorted keys.
    case json
    /// The same value as YAML (block style; strings double-quoted where YAML would misread them).
    case yaml
    /// The values a JSONPath expression selects, one per line.
    case jsonPath(JSONPath)

    /// Parses `table`, `json`, `yaml` or `jsonpath=EXPR`.
    ///
    /// - Throws: ``AdminError/Code/usage`` naming the accepted forms.
    public init(parsing text: String) throws(AdminError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed.lowercased() {
        case "table", "wide", "text": self = .table
        case "json": self = .json
        case "yaml", "yml": self = .yaml
        default:
            guard trimmed.lowercased().hasPrefix("jsonpath=") else {
                throw AdminError(
                    .usage,
                    "unknown output format '\(text)'; use -o table, -o json, -o yaml or -o 'jsonpath={.path[*].field}'")
            }
            self = .jsonPath(try JSONPath(parsing: String(trimmed.dropFirst("jsonpath=".count))))
        }
    }

    /// Whether the result is printed for machines (everything but ``table``).
    public var isStructured: Bool { self != .table }

    /// `value` in this format (``table`` is rendered by each command; here it falls back to JSON).
    public func render(_ value: JSONValue) -> String {
        switch self {
        case .table, .json: value.prettyPrinted()
        case .yaml: YAMLWriter.document(value)
        case .jsonPath(let path):
            path.select(in: value).map { selected in
                if case .string(let text) = selected { return text }
                return selected.compact()
            }.joined(separator: "\n")
        }
    }
}

/// The subset of JSONPath that `kubectl -o jsonpath` users reach for: `{.a.b}`, `.items[*].name`,
/// `[0]`, `['key with spaces']`; the surrounding braces and a leading `$` are optional.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Step: Sendable, Hashable {
        /// An object member.
        case key(String)
        /// One array element (negative counts from the end).
        case index(Int)
        /// Every element of an array (or every member value of an object).
        case all
    }

    /// The steps, in order.
    public let steps: [Step]
    /// The expression as written.
    public let description: String

    /// Parses an expression.
    ///
    /// - Throws: ``AdminError/Code/usage`` with the position of the first character not understood.
    public init(parsing text: String) throws(AdminError) {
        description = text
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.hasPrefix("{") && body.hasSuffix("}") { body = body.dropFirst().dropLast() }
        if body.hasPrefix("$") { body = body.dropFirst() }
        var steps: [Step] = []
        var rest = body
        func fail(_ why: String) -> AdminError {
            AdminError(.usage, "jsonpath '\(text)': \(why); write e.g. {.items[*].name} or .counts.devices")
        }
        while let first = rest.first {
            if first == "." {
                rest = rest.dropFirst()
                let name = rest.prefix { $0 != "." && $0 != "[" }
                guard !name.isEmpty else { throw fail("a '.' must be followed by a field name") }
                steps.append(name == "*" ? .all : .key(String(name)))
                rest = rest.dropFirst(name.count)
            } else if first == "[" {
                guard let close = rest.firstIndex(of: "]") else { throw fail("'[' is never closed") }
                let inside = rest[rest.index(after: rest.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                if inside == "*" {
                    steps.append(.all)
                } else if let index = Int(inside) {
                    steps.append(.index(index))
                } else if inside.count >= 2, let quote = inside.first, quote == "'" || quote == "\"", inside.last == quote {
                    steps.append(.key(String(inside.dropFirst().dropLast())))
                } else {
                    throw fail("'[\(inside)]' is not [*], a number or a quoted key")
                }
                rest = rest[rest.index(after: close)...]
            } else if steps.isEmpty {
                // `name.other` without the leading dot.
                rest = "." + rest
            } else {
                throw fail("unexpected '\(first)'")
            }
        }
        self.steps = steps
    }

    /// Every value the path reaches in `value`, in document order (object members by key).
    public func select(in value: JSONValue) -> [JSONValue] {
        var current = [value]
        for step in steps {
            current = current.flatMap { node -> [JSONValue] in
                switch (step, node) {
                case (.key(let key), .object(let object)): object[key].map { [$0] } ?? []
                case (.index(let index), .array(let array)):
                    (index >= 0 ? index : array.count + index).flatMapIndex(in: array)
                case (.all, .array(let array)): array
                case (.all, .object(let object)): object.keys.sorted().map { object[$0]! }
                default: []
                }
            }
        }
        return current
    }
}

extension Int {
    fileprivate func flatMapIndex(in array: [JSONValue]) -> [JSONValue] {
        array.indices.contains(self) ? [array[self]] : []
    }
}

/// `--fields a,b.c`: keeps only the named members of the result's records, like `gh --json a,b`.
public struct FieldSelection: Sendable, Hashable {
    /// The dotted key paths to keep, in the order given.
    public let paths: [String]

    /// Parses a comma-separated list.
    ///
    /// - Throws: ``AdminError/Code/usage`` for an empty list or an empty name.
    public init(parsing text: String) throws(AdminError) {
        let paths = text.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        guard !paths.isEmpty, !paths.contains(where: \.isEmpty) else {
            throw AdminError(.usage, "--fields takes a comma-separated list of field names, e.g. --fields id,name,status")
        }
        self.paths = paths
    }

    /// `value` narrowed: a record (an object holding at least one of the paths) keeps only those
    /// paths; an array narrows each element; an object without them (a wrapper such as
    /// `{"staff": [...]}`) narrows its members.
    ///
    /// - Throws: ``AdminError/Code/usage`` when a path matches nothing anywhere, listing the
    ///   fields that exist.
    public func apply(to value: JSONValue) throws(AdminError) -> JSONValue {
        var seen = Set<String>()
        var available = Set<String>()
        let narrowed = narrow(value, seen: &seen, available: &available)
        let unknown = paths.filter { !seen.contains($0) }
        if !unknown.isEmpty, !available.isEmpty || seen.isEmpty {
            throw AdminError(
                .usage,
                "unknown field\(unknown.count == 1 ? "" : "s") \(unknown.joined(separator: ", ")); available: \(available.sorted().joined(separator: ", "))"
            )
        }
        return narrowed
    }

    /// The column headers and cells of a table of the selected fields.
    public func table(of value: JSONValue) -> Table {
        var table = Table(paths.map { $0.uppercased() })
        for record in records(in: value) { table.append(paths.map { record[$0]?.text ?? "" }) }
        return table
    }

    /// The records of a result: the elements of an array, the object itself if it holds one of
    /// the paths, else the elements of its first array member (`{"staff": [...]}`).
    private func records(in value: JSONValue) -> [JSONValue] {
        switch value {
        case .array(let elements): return elements
        case .object(let object) where isRecord(object): return [value]
        case .object(let object):
            for key in object.keys.sorted() {
                if case .array(let elements)? = object[key] { return elements }
            }
            return []
        default: return []
        }
    }

    private func isRecord(_ object: [String: JSONValue]) -> Bool {
        paths.contains { JSONValue.object(object)[$0] != nil }
    }

    private func narrow(_ value: JSONValue, seen: inout Set<String>, available: inout Set<String>) -> JSONValue {
        switch value {
        case .array(let elements):
            return .array(elements.map { narrow($0, seen: &seen, available: &available) })
        case .object(let object) where isRecord(object):
            available.formUnion(object.keys)
            var kept: [String: JSONValue] = [:]
            for path in paths {
                guard let found = value[path] else { continue }
                seen.insert(path)
                kept[path] = found
            }
            return .object(kept)
        case .object(let object):
            var result: [String: JSONValue] = [:]
            for (key, member) in object {
                switch member {
                case .array, .object: result[key] = narrow(member, seen: &seen, available: &available)
                default: result[key] = member
                }
            }
            if !object.values.contains(where: { if case .array = $0 { true } else { false } }) {
                available.formUnion(object.keys)
            }
            return .object(result)
        default:
            return value
        }
    }
}

/// Writes a ``JSONValue`` as a YAML 1.2 document. Strings that YAML would read as something else
/// (`yes`, `1.0`, `null`, leading spaces, `: `, `#`…) are written as JSON-style double-quoted
/// scalars, which YAML reads back exactly.
enum YAMLWriter {
    static func document(_ value: JSONValue) -> String {
        var lines: [String] = []
        write(value, indent: 0, into: &lines, prefix: nil)
        return lines.joined(separator: "\n")
    }

    private static func write(_ value: JSONValue, indent: Int, into lines: inout [String], prefix: String?) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            if let prefix { lines.append(pad + prefix) }
            let inner = prefix == nil ? indent : indent + 2
            let innerPad = String(repeating: " ", count: inner)
            for element in elements {
                switch element {
                case .object(let object) where !object.isEmpty:
                    var nested: [String] = []
                    write(element, indent: inner + 2, into: &nested, prefix: nil)
                    if let first = nested.first {
                        lines.append(innerPad + "- " + first.dropFirst(inner + 2))
                        lines.append(contentsOf: nested.dropFirst())
                    }
                case .array(let inside) where !inside.isEmpty:
                    lines.append(innerPad + "-")
                    write(element, indent: inner + 2, into: &lines, prefix: nil)
                default:
                    lines.append(innerPad + "- " + scalar(element))
                }
            }
        case .object(let object) where !object.isEmpty:
            if let prefix { lines.append(pad + prefix) }
            let inner = prefix == nil ? indent : indent + 2
            let innerPad = String(repeating: " ", count: inner)
            for key in object.keys.sorted() {
                let member = object[key]!
                let label = scalar(.string(key)) + ":"
                switch member {
                case .array(let elements) where !elements.isEmpty:
                    write(member, indent: inner, into: &lines, prefix: label)
                case .object(let nested) where !nested.isEmpty:
                    write(member, indent: inner, into: &lines, prefix: label)
                default:
                    lines.append(innerPad + label + " " + scalar(member))
                }
            }
        default:
            lines.append(pad + (prefix.map { $0 + " " } ?? "") + scalar(value))
        }
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number: return value.compact()
        case .array: return "[]"
        case .object: return "{}"
        case .string(let text): return plainIsSafe(text) ? text : JSONValue.string(text).compact()
        }
    }

    /// Whether `text` reads back as the same string when written plain.
    private static func plainIsSafe(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { return false }
        let reserved = ["null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"]
        if reserved.contains(text.lowercased()) { return false }
        if Double(text) != nil || text.hasPrefix("0x") || text.hasPrefix("0o") || text == ".inf" || text == ".nan" {
            return false
        }
        if " \t".unicodeScalars.contains(first) || " \t".unicodeScalars.contains(last) { return false }
        if "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) { return false }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") { return false }
        return !text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F || $0 == "\u{FEFF}" }
    }
}
