import Foundation
import RapportAdminCLI
import RapportCLISupport
import Testing

/// `-o table|json|yaml|jsonpath=…` and `--fields`: parsing, selection and rendering.
@Suite("rapport-admin output formats")
struct OutputFormatTests {
    let staff: JSONValue = .object([
        "staff": .array([
            .object(["id": .string("1"), "name": .string("Ana Lima"), "status": .string("active"), "team": .object(["name": .string("North")])]),
            .object(["id": .string("2"), "name": .string("Bo: Chen"), "status": .string("yes"), "team": .object(["name": .string("South")])]),
        ]),
        "total": .number(2),
    ])

    @Test func parsesFormatsAndRefusesUnknownOnes() throws {
        #expect(try OutputFormat(parsing: "json") == .json)
        #expect(try OutputFormat(parsing: "YAML") == .yaml)
        #expect(try OutputFormat(parsing: "table") == .table)
        #expect(try OutputFormat(parsing: "jsonpath={.staff[*].name}") != .table)
        let error = #expect(throws: AdminError.self) { try OutputFormat(parsing: "xml") }
        #expect(error?.code == .usage)
        #expect(error?.message.contains("-o table, -o json, -o yaml") == true)
        #expect(throws: AdminError.self) { try OutputFormat(parsing: "jsonpath={.staff[oops]}") }
        #expect(throws: AdminError.self) { try OutputFormat(parsing: "jsonpath={.staff[0}") }
        #expect(throws: AdminError.self) { try OutputFormat(parsing: "jsonpath=.") }
    }

    @Test func jsonPathSelectsLikeKubectl() throws {
        #expect(try JSONPath(parsing: "{.staff[*].name}").select(in: staff) == [.string("Ana Lima"), .string("Bo: Chen")])
        #expect(try JSONPath(parsing: ".staff[-1].team.name").select(in: staff) == [.string("South")])
        #expect(try JSONPath(parsing: "$.total").select(in: staff) == [.number(2)])
        #expect(try JSONPath(parsing: "staff[0]['name']").select(in: staff) == [.string("Ana Lima")])
        #expect(try JSONPath(parsing: ".staff[7].name").select(in: staff).isEmpty)
        let printed = try OutputFormat(parsing: "jsonpath={.staff[*].team}").render(staff)
        #expect(printed == "{\"name\":\"North\"}\n{\"name\":\"South\"}")
    }

    @Test func fieldsNarrowRecordsInsideWrappers() throws {
        let narrowed = try FieldSelection(parsing: "name, team.name").apply(to: staff)
        #expect(
            narrowed["staff"]
                == .array([
                    .object(["name": .string("Ana Lima"), "team.name": .string("North")]),
                    .object(["name": .string("Bo: Chen"), "team.name": .string("South")]),
                ]))
        #expect(narrowed["total"] == .number(2))
        let table = try FieldSelection(parsing: "name,status").table(of: staff)
        #expect(table.rows == [["Ana Lima", "active"], ["Bo: Chen", "yes"]])
    }

    @Test func unknownFieldsNameWhatExists() throws {
        let error = #expect(throws: AdminError.self) { try FieldSelection(parsing: "name,salary").apply(to: staff) }
        #expect(error?.code == .usage)
        #expect(error?.message.contains("unknown field salary") == true)
        #expect(error?.message.contains("available: id, name, status, team") == true)
        #expect(throws: AdminError.self) { try FieldSelection(parsing: "name,,id") }
    }

    @Test func yamlQuotesWhatYAMLWouldMisread() {
        let yaml = OutputFormat.yaml.render(staff)
        #expect(
            yaml == """
                staff:
                  - id: "1"
                    name: Ana Lima
                    status: active
                    team:
                      name: North
                  - id: "2"
                    name: "Bo: Chen"
                    status: "yes"
                    team:
                      name: South
                total: 2
                """)
        #expect(OutputFormat.yaml.render(.object(["empty": .array([]), "none": .null, "note": .string("a\nb")]))
            == "empty: []\nnone: null\nnote: \"a\\nb\"")
    }
}
