import Foundation
import RapportModels
import Testing

@Suite("Decoding errors name the field")
struct DecodingErrorTests {
    /// The JSON of a valid customer with `change` applied to its object.
    static func customerJSON(_ change: (inout [String: JSONValue]) -> Void) throws -> Data {
        let json = try RapportJSON.decoder().decode(
            JSONValue.self, from: RapportJSON.encoder().encode(Samples.individualCustomer()))
        var object = json.objectValue ?? [:]
        change(&object)
        return try RapportJSON.encoder().encode(JSONValue.object(object))
    }

    static func profile(_ object: inout [String: JSONValue], _ key: String, _ value: JSONValue) {
        var profile = object["individual"]?.objectValue ?? [:]
        profile[key] = value
        object["individual"] = .object(profile)
    }

    @Test func unknownTopLevelEnumValue() throws {
        let data = try Self.customerJSON { $0["status"] = "sleeping" }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.entity == "customer")
        #expect(error.field == "status")
        #expect(error.rule == .enumValue)
        #expect(error.message.contains("'sleeping'"))
        #expect(error.message.contains("prospect, active, dormant, lost"))
    }

    @Test func unknownEnumValueInsideAProfile() throws {
        let data = try Self.customerJSON { Self.profile(&$0, "maritalStatus", "complicated") }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "individual.maritalStatus")
        #expect(error.rule == .enumValue)
    }

    @Test func unknownEnumValueInsideAListIsReportedAtTheListField() throws {
        let data = try Self.customerJSON {
            Self.profile(&$0, "relationships", [["name": "李强", "relation": "boss"]])
        }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "individual.relationships")
        #expect(error.rule == .enumValue)
    }

    @Test func surveyLevelOutOfRange() throws {
        var object =
            try RapportJSON.decoder().decode(
                JSONValue.self, from: RapportJSON.encoder().encode(Samples.satisfactionSurvey())
            ).objectValue ?? [:]
        object["level"] = 7
        let data = try RapportJSON.encoder().encode(JSONValue.object(object))
        let error = try #require(throws: ValidationError.self) {
            try RapportJSON.decode(SatisfactionSurvey.self, from: data)
        }
        #expect(error.field == "level")
        #expect(error.rule == .enumValue)
        #expect(error.message.contains("1, 2, 3, 4, 5"))
    }

    @Test func missingRequiredKey() throws {
        let data = try Self.customerJSON { $0["name"] = nil }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "name")
        #expect(error.rule == .required)
    }

    @Test func nullForARequiredValue() throws {
        let data = try Self.customerJSON { $0["teamId"] = .null }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "teamId")
        #expect(error.rule == .required)
    }

    @Test func wrongJSONType() throws {
        let data = try Self.customerJSON { $0["creditLimit"] = "lots" }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "creditLimit")
        #expect(error.rule == .type)
    }

    @Test func malformedTimestamp() throws {
        let data = try Self.customerJSON { $0["createdAt"] = "yesterday" }
        let error = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: data) }
        #expect(error.field == "createdAt")
        #expect(error.rule == .format)
    }

    @Test func malformedCalendarDateAndUUID() throws {
        let date = try Self.customerJSON { Self.profile(&$0, "birthDate", "1988-02-30") }
        let dateError = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: date) }
        #expect(dateError.field == "individual.birthDate")
        #expect(dateError.rule == .format)
        let id = try Self.customerJSON { $0["ownerId"] = "not-a-uuid" }
        let idError = try #require(throws: ValidationError.self) { try RapportJSON.decode(Customer.self, from: id) }
        #expect(idError.field == "ownerId")
        #expect(idError.rule == .format)
    }

    @Test func notJSONAtAll() throws {
        let error = try #require(throws: ValidationError.self) {
            try RapportJSON.decode(Customer.self, from: Data("{not json".utf8))
        }
        #expect(error.field == "")
        #expect(error.rule == .format)
    }

    @Test func customFieldDefinitionErrorsNameTheirSubject() throws {
        let data = Data(
            #"{"entity":"customer","key":"k","labelZh":"甲","labelEn":"A","type":"colour","options":[],"fieldClass":"ordinary","archived":false}"#
                .utf8)
        let error = try #require(throws: ValidationError.self) {
            try RapportJSON.decode(CustomFieldDefinition.self, from: data)
        }
        #expect(error.entity == "customFieldDefinition")
        #expect(error.field == "type")
        #expect(error.rule == .enumValue)
    }
}
