import Foundation

/// Writes records as RFC 4180 CSV (what ``CSVReader`` reads back): a header row, then one row per
/// record; fields holding a comma, a quote or a line break are quoted with doubled quotes.
///
/// ```swift
/// let csv = CSVWriter.csv(records, firstColumns: ["id"])
/// ```
enum CSVWriter {
    /// The CSV of `records` (JSON objects): the columns are `firstColumns`, then every other key
    /// any record has, sorted. Values: strings as they are, lists of scalars joined with `;`
    /// (as `customer import` splits them), other structures as compact JSON, `null` empty.
    static func csv(_ records: [JSONValue], firstColumns: [String] = []) -> String {
        var keys = Set<String>()
        for record in records {
            if case .object(let object) = record { keys.formUnion(object.keys) }
        }
        let columns = firstColumns + keys.subtracting(firstColumns).sorted()
        var lines = [columns.map(field).joined(separator: ",")]
        for record in records {
            lines.append(columns.map { field(cell(record[$0] ?? .null)) }.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// One value as cell text.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .string(let text): return text
        case .array(let items) where items.allSatisfy({ if case .string = $0 { true } else if case .number = $0 { true } else { false } }):
            return items.map { $0.string ?? $0.compact() }.joined(separator: ";")
        default: return value.compact()
        }
    }

    /// `text` quoted when it must be.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
