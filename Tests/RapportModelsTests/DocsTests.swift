import Foundation
import RapportModels
import Testing

/// `Docs/Models.md` lists exactly the registry's fields with their type, class and merge policy.
@Suite("Docs/Models.md matches the registry")
struct DocsTests {
    struct Row: Hashable, CustomStringConvertible {
        var path: String
        var type: String
        var fieldClass: String
        var merge: String
        var description: String { "\(path) \(type) \(fieldClass) \(merge)" }
    }

    static func documentedRows() throws -> [String: Set<Row>] {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Docs/Models.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var rows: [String: Set<Row>] = [:]
        var kind: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("### `") {
                kind = line.dropFirst(5).split(separator: "`").first.map(String.init)
                continue
            }
            guard let kind, line.hasPrefix("| `") else { continue }
            let cells = line.replacingOccurrences(of: "\\|", with: "\u{1}")
                .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                .map { $0.replacingOccurrences(of: "\u{1}", with: "|") }
            let offset = cells.count == 7 ? 1 : 0
            guard cells.count >= 6 else { continue }
            rows[kind, default: []].insert(
                Row(
                    path: cells[0].trimmingCharacters(in: CharacterSet(charactersIn: "`")),
                    type: cells[1 + offset], fieldClass: cells[2 + offset], merge: cells[3 + offset]))
        }
        return rows
    }

    @Test func everyEntityTableMatchesTheRegistry() throws {
        let documented = try Self.documentedRows()
        for kind in EntityKind.allCases {
            let registered = Set(
                FieldRegistry.fields(of: kind).map {
                    Row(
                        path: $0.path, type: $0.valueType.name, fieldClass: $0.fieldClass.rawValue,
                        merge: $0.mergePolicy.rawValue)
                })
            let rows = documented[kind.rawValue] ?? []
            #expect(
                rows.subtracting(registered).isEmpty,
                "\(kind): documented but not registered: \(rows.subtracting(registered))")
            #expect(
                registered.subtracting(rows).isEmpty,
                "\(kind): registered but not documented: \(registered.subtracting(rows))")
        }
    }
}
