import Foundation
import RapportAdminCLI
import RapportModels
import Testing

/// CSV parsing and the planning of `customer import`: mapping, conversion, validation, ids.
@Suite("customer import planning")
struct CustomerImportTests {
    static let required = ["status": "active", "sourceChannel": "purchasedList"]
    let ana = UUID()
    let north = UUID()
    var directory: CustomerImport.Directory {
        CustomerImport.Directory(
            staff: ["ana lima": (ana, north), "ana.rep": (ana, north), ana.uuidString.lowercased(): (ana, north)],
            teams: ["north": north])
    }

    @Test func csvFollowsRFC4180() throws {
        let table = try CSVReader.read("\u{FEFF}name,notes\r\n\"Wang, Fang\",\"said \"\"hi\"\"\nthen left\"\r\n\r\nBo,\n")
        #expect(table.header == ["name", "notes"])
        #expect(table.records.map(\.fields) == [["Wang, Fang", "said \"hi\"\nthen left"], ["Bo", ""]])
        #expect(table.records.map(\.line) == [2, 5])
        #expect(throws: AdminError.self) { try CSVReader.read("name\n\"open") }
        #expect(throws: AdminError.self) { try CSVReader.read("name,name\nx,y") }
        #expect(throws: AdminError.self) { try CSVReader.read("name\na,b") }
        #expect(throws: AdminError.self) { try CSVReader.read("name\na\"b") }
        #expect(throws: AdminError.self) { try CSVReader.read("") }
    }

    @Test func mappedColumnsBecomeTypedFields() throws {
        let importer = CustomerImport(
            mapping: try CustomerImport.mapping(
                arguments: ["Customer=name", "Mobile=individual.phones", "Limit=creditLimit", "Owner=ownerId"], file: nil),
            defaults: Self.required)
        let table = try CSVReader.read(
            "Customer,Mobile,Limit,Owner,tags,paymentTermDays\nWang Fang,13800138000;+8613900139000,1234.5,Ana Lima,vip; north,30\n")
        let plan = try importer.plan(csv: table, directory: directory)
        #expect(plan.problems.isEmpty, "\(plan.problems)")
        let row = try #require(plan.rows.first)
        #expect(row.fields["name"] == .string("Wang Fang"))
        #expect(row.fields["ownerId"] == .string(ana.uuidString))
        #expect(row.fields["teamId"] == .string(north.uuidString))
        #expect(row.fields["creditLimit"] == .int(123_450))
        #expect(row.fields["paymentTermDays"] == .int(30))
        #expect(row.fields["kind"] == .string("individual"))
        #expect(row.fields["individual.phones"]?.arrayValue?.count == 2)
        #expect(row.fields["version"] == nil && row.fields["createdAt"] == nil)
    }

    @Test func everyBadRowAndFieldIsReported() throws {
        let importer = CustomerImport(defaultOwner: "ana.rep", defaults: Self.required)
        let table = try CSVReader.read(
            "name,paymentTermDays,ownerId,status\nGood,10,,active\n,5,,active\nBad term,900,,active\nNobody,1,carl,active\nOdd,abc,,maybe\n")
        let plan = try importer.plan(csv: table, directory: directory)
        #expect(plan.rows.map(\.line) == [2])
        let byLine = Dictionary(grouping: plan.problems, by: \.line)
        #expect(byLine[3]?.contains { $0.field == "name" } == true, "\(plan.problems)")
        #expect(byLine[4]?.contains { $0.field == "paymentTermDays" } == true, "\(plan.problems)")
        #expect(byLine[5]?.contains { $0.field == "ownerId" && $0.message.contains("carl") } == true, "\(plan.problems)")
        #expect(byLine[6]?.contains { $0.field == "paymentTermDays" } == true, "\(plan.problems)")
    }

    @Test func unknownColumnsAndServerFieldsAreRefusedUpFront() throws {
        let importer = CustomerImport(defaultOwner: "ana.rep", defaults: Self.required)
        let unknown = #expect(throws: AdminError.self) {
            try importer.plan(csv: CSVReader.read("name,Shoe size\nA,42\n"), directory: directory)
        }
        #expect(unknown?.message.contains("'Shoe size'") == true)
        #expect(try CustomerImport(ignored: ["Shoe size"], defaultOwner: "ana.rep", defaults: Self.required)
            .plan(csv: CSVReader.read("name,Shoe size\nA,42\n"), directory: directory).rows.count == 1)
        #expect(throws: AdminError.self) { try CustomerImport.mapping(arguments: ["Tier=tier"], file: nil) }
        #expect(throws: AdminError.self) { try CustomerImport.mapping(arguments: ["Created=createdAt"], file: nil) }
        #expect(throws: AdminError.self) { try CustomerImport.mapping(arguments: ["no-equals"], file: nil) }
        #expect(throws: AdminError.self) { try CustomerImport.defaults(arguments: ["ownerId=x"]) }
        let missing = try CustomerImport(defaultOwner: "ana.rep").plan(csv: CSVReader.read("name\nA\n"), directory: directory)
        #expect(missing.problems.contains { $0.field == "status" && $0.message.contains("--set status=VALUE") }, "\(missing.problems)")
    }

    @Test func idsAreStableAcrossRunsAndFollowTheKey() throws {
        let importer = CustomerImport(keyColumn: "No.", defaultOwner: "ana.rep", defaults: Self.required)
        let first = try importer.plan(csv: CSVReader.read("No.,name\n17,Wang Fang\n"), directory: directory)
        let renamed = try importer.plan(csv: CSVReader.read("No.,name\n17,Wang Fang Ltd\n"), directory: directory)
        #expect(first.rows[0].recordId == renamed.rows[0].recordId)
        #expect(first.rows[0].clientMutationId == renamed.rows[0].clientMutationId)
        let byContent = CustomerImport(defaultOwner: "ana.rep", defaults: Self.required)
        let a = try byContent.plan(csv: CSVReader.read("name\nWang Fang\n"), directory: directory)
        let b = try byContent.plan(csv: CSVReader.read("name\nWang Fang\n"), directory: directory)
        let c = try byContent.plan(csv: CSVReader.read("name\nBo Chen\n"), directory: directory)
        #expect(a.rows[0].recordId == b.rows[0].recordId)
        #expect(a.rows[0].recordId != c.rows[0].recordId)
    }

    @Test func jsonLinesTakeTypedValuesAndNestedProfiles() throws {
        let importer = CustomerImport(defaultOwner: "ana.rep", defaults: Self.required)
        let plan = try importer.plan(
            jsonLines: """
                {"name": "Acme Ltd", "enterprise": {"industry": "Tools", "employeeBand": "from20To99"}, "tags": ["b2b"]}
                not json
                {"name": "Bo", "paymentTermDays": "12"}
                """, directory: directory)
        #expect(plan.rows.count == 2, "\(plan.problems)")
        #expect(plan.rows[0].fields["kind"] == .string("enterprise"))
        #expect(plan.rows[0].fields["enterprise.industry"] == .string("Tools"))
        #expect(plan.rows[1].fields["paymentTermDays"] == .int(12))
        #expect(plan.problems.map(\.line) == [2])
    }
}
