import Foundation
import RapportModels
import Testing

@Suite("Field maps")
struct FieldMapTests {
    @Test func profileFieldsAndCustomFieldsUseDottedPaths() throws {
        let fields = try Samples.individualCustomer().fieldMap()
        #expect(fields["individual.phones"] == ["13800138000", "+44 20 7183 8750"])
        #expect(fields["individual.birthDate"] == "1988-02-29")
        #expect(fields["customFields.region"] == "east")
        #expect(fields["customFields.visits"] == 3)
        #expect(fields["creditLimit"] == 5_000_000)
        #expect(fields["createdAt"] == "2025-06-01T09:00:00.125Z")
        #expect(fields["individual"] == nil)
        #expect(fields["customFields"] == nil)
        #expect(!fields.keys.contains { $0.hasPrefix("enterprise.") })
    }

    @Test func absentValuesAppearAsNullButAbsentGroupsDoNot() throws {
        let customer = try #require(Samples.minimal.first as? Customer)
        let fields = try customer.fieldMap()
        #expect(fields["code"] == .null)
        #expect(fields["deletedAt"] == .null)
        #expect(fields["individual.gender"] == .null)
        #expect(fields["individual.phones"] == [])
        #expect(!fields.keys.contains { $0.hasPrefix("enterprise.") })
        let paths = Set(FieldRegistry.fields(of: .customer).map(\.path).filter { !$0.hasPrefix("enterprise.") })
        #expect(Set(fields.keys) == paths)
    }

    @Test func oneChangedPathRebuildsTheRecordWithThatChange() throws {
        var fields = try Samples.enterpriseCustomer().fieldMap()
        fields["enterprise.creditRating"] = "BBB"
        fields["customFields.region"] = nil
        fields["customFields.segment"] = "retail"
        fields["notes"] = .null
        let rebuilt = try Customer.from(fieldMap: fields)
        var expected = Samples.enterpriseCustomer()
        expected.enterprise?.creditRating = .bbb
        expected.customFields["region"] = nil
        expected.customFields["segment"] = "retail"
        expected.notes = nil
        #expect(rebuilt == expected)
        #expect(try Customer(fieldMap: fields) == expected)
    }

    @Test func unknownPathIsRejectedByName() throws {
        var fields = try Samples.order().fieldMap()
        fields["netAmout"] = 5
        let error = try #require(throws: ValidationError.self) { try Order.from(fieldMap: fields) }
        #expect(error.field == "netAmout")
        #expect(error.rule == .unknownField)
        #expect(error.entity == "order")
    }

    @Test func missingRequiredPathIsReportedAsRequired() throws {
        var fields = try Samples.order().fieldMap()
        fields["orderedAt"] = nil
        let error = try #require(throws: ValidationError.self) { try Order.from(fieldMap: fields) }
        #expect(error.field == "orderedAt")
        #expect(error.rule == .required)
    }

    @Test func wrongTypeInAPathIsReportedWithThatPath() throws {
        var fields = try Samples.individualCustomer().fieldMap()
        fields["individual.childrenCount"] = "two"
        let error = try #require(throws: ValidationError.self) { try Customer.from(fieldMap: fields) }
        #expect(error.field == "individual.childrenCount")
        #expect(error.rule == .type)
    }
}
