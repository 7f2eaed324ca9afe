import Foundation
import RapportModels

/// One `--set path=value` of `rapport-client edit`: a customer field by registry path and its
/// new value. A value that parses as JSON is taken as JSON (`tags=["vip"]`, `paymentTermDays=30`,
/// `notes=null`), otherwise as a string (`name=Wang Fang`); for text-like fields (strings, ids,
/// dates, enumerations) a bare number or boolean is kept as text.
///
/// ```swift
/// let set = try FieldAssignment(parsing: "individual.phones=[\"13800138000\"]")
/// set.path    // "individual.phones"
/// ```
public struct FieldAssignment: Sendable, Hashable {
    /// The registry path.
    public var path: String
    /// The value.
    public var value: JSONValue

    /// Creates an assignment.
    public init(path: String, value: JSONValue) {
        self.path = path
        self.value = value
    }

    /// Parses `path=value` for a field of `kind`.
    ///
    /// - Throws: ``ClientCLIError`` (usage) when there is no `=`, the path is not a field of
    ///   `kind` (naming close matches), or the field is the server's to set.
    public init(parsing text: String, kind: EntityKind = .customer) throws {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ClientCLIError.usage(
                "'--set \(text)' is malformed; write it as path=value, e.g. --set name=\"Wang Fang\"")
        }
        let path = String(text[..<equals]).trimmingCharacters(in: .whitespaces)
        let raw = String(text[text.index(after: equals)...])
        guard let descriptor = FieldRegistry.descriptor(kind, path) else {
            let close = Self.closeMatches(path, kind: kind)
            let hint =
                close.isEmpty
                ? "see the field registry (Docs/Models.md)"
                : "did you mean \(close.map { "'\($0)'" }.joined(separator: ", "))?"
            throw ClientCLIError.usage("'\(path)' is not a field of \(kind.rawValue); \(hint)")
        }
        switch descriptor.mergePolicy {
        case .serverOnly:
            let extra = path == "tier" ? "; set tierOverride instead" : ""
            throw ClientCLIError.usage("'\(path)' is set by the server and cannot be edited\(extra)")
        case .immutable:
            throw ClientCLIError.usage("'\(path)' is fixed when the record is created and cannot be edited")
        default:
            break
        }
        self.init(path: path, value: Self.value(raw, for: descriptor.valueType))
    }

    /// The value of `raw` for a field of type `type`.
    static func value(_ raw: String, for type: FieldValueType) -> JSONValue {
        let parsed = try? JSONValue(parsing: Data(raw.utf8))
        guard let parsed else { return .string(raw) }
        switch type {
        case .string, .uuid, .timestamp, .calendarDate, .enumeration:
            switch parsed {
            case .string, .null: return parsed
            default: return .string(raw)
            }
        default:
            return parsed
        }
    }

    /// Registry paths of `kind` close to `path` (edit distance at most 3, or sharing its last
    /// component), best first.
    public static func closeMatches(_ path: String, kind: EntityKind, limit: Int = 3) -> [String] {
        let lowered = path.lowercased()
        let last = lowered.split(separator: ".").last.map(String.init) ?? lowered
        let scored = FieldRegistry.fields(of: kind).compactMap { descriptor -> (String, Int)? in
            let candidate = descriptor.path.lowercased()
            let distance = editDistance(lowered, candidate)
            let candidateLast = candidate.split(separator: ".").last.map(String.init) ?? candidate
            if distance <= 3 { return (descriptor.path, distance) }
            if candidateLast == last || (last.count >= 4 && candidate.contains(last)) { return (descriptor.path, 4) }
            if editDistance(last, candidateLast) <= 2 { return (descriptor.path, 5) }
            return nil
        }
        return scored.sorted { $0.1 == $1.1 ? $0.0 < $1.0 : $0.1 < $1.1 }.prefix(limit).map(\.0)
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
