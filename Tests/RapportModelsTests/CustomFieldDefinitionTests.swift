import Foundation
import RapportModels
import Testing

@Suite("Custom field definitions")
struct CustomFieldDefinitionTests {
    static let region = CustomFieldDefinition(
        entity: .customer, key: "region", labelZh: "区域", labelEn: "Region", type: .choice,
        options: [
            .init(key: "east", labelZh: "华东", labelEn: "East"),
            .init(key: "west", labelZh: "西部", labelEn: "West", archived: true),
        ])
    static let visits = CustomFieldDefinition(
        entity: .customer, key: "visits", labelZh: "拜访次数", labelEn: "Visits", type: .number)
    static let vip = CustomFieldDefinition(
        entity: .customer, key: "vip", labelZh: "贵宾", labelEn: "VIP", type: .bool)
    static let renewal = CustomFieldDefinition(
        entity: .customer, key: "renewal", labelZh: "续约日", labelEn: "Renewal", type: .date)
    static let channels = CustomFieldDefinition(
        entity: .customer, key: "channels", labelZh: "渠道", labelEn: "Channels", type: .multiChoice,
        options: [.init(key: "web", labelZh: "网站", labelEn: "Web"), .init(key: "shop", labelZh: "门店", labelEn: "Shop")])
    static let memo = CustomFieldDefinition(
        entity: .customer, key: "memo", labelZh: "备忘", labelEn: "Memo", type: .text, fieldClass: .sensitive)
    static let all = [region, visits, vip, renewal, channels, memo]

    @Test func definitionsRoundTripAndValidate() throws {
        for definition in Self.all {
            try definition.validate()
            let data = try RapportJSON.encoder().encode(definition)
            #expect(try RapportJSON.decode(CustomFieldDefinition.self, from: data) == definition)
        }
    }

    @Test func acceptedValues() throws {
        let accepted: [(CustomFieldDefinition, JSONValue)] = [
            (Self.region, "east"), (Self.region, "west"), (Self.region, nil), (Self.visits, 3),
            (Self.visits, 2.5), (Self.vip, true), (Self.renewal, "2026-04-30"),
            (Self.channels, ["web", "shop"]), (Self.channels, []), (Self.memo, "见面详谈"),
        ]
        for (definition, value) in accepted { try definition.validate(value: value) }
    }

    @Test func rejectedValues() throws {
        let rejected: [(CustomFieldDefinition, JSONValue, ValidationError.Rule)] = [
            (Self.region, "north", .customFieldType), (Self.region, 1, .customFieldType),
            (Self.visits, "3", .customFieldType), (Self.vip, 1, .customFieldType),
            (Self.renewal, "2026-02-30", .customFieldType), (Self.renewal, true, .customFieldType),
            (Self.channels, ["web", "tv"], .customFieldType), (Self.channels, "web", .customFieldType),
            (Self.channels, ["web", "web"], .duplicate),
            (Self.memo, .string(String(repeating: "x", count: 2_001)), .length),
            (Self.memo, ["a"], .customFieldType),
        ]
        for (definition, value, rule) in rejected {
            let error = try #require(throws: ValidationError.self, "\(definition.key) = \(value)") {
                try definition.validate(value: value)
            }
            #expect(error.rule == rule, "\(definition.key) = \(value)")
            #expect(error.field == "customFields.\(definition.key)")
            #expect(error.entity == "customer")
        }
    }

    @Test func malformedDefinitionsAreRejected() throws {
        let cases: [(CustomFieldDefinition, String, ValidationError.Rule)] = [
            (.init(entity: .order, key: "Bad", labelZh: "甲", labelEn: "A", type: .text), "key", .format),
            (.init(entity: .order, key: "ok", labelZh: " ", labelEn: "A", type: .text), "labelZh", .required),
            (.init(entity: .order, key: "ok", labelZh: "甲", labelEn: "A", type: .choice), "options", .required),
            (
                .init(
                    entity: .order, key: "ok", labelZh: "甲", labelEn: "A", type: .number,
                    options: [.init(key: "a", labelZh: "甲", labelEn: "A")]), "options", .customFieldType
            ),
            (
                .init(
                    entity: .order, key: "ok", labelZh: "甲", labelEn: "A", type: .choice,
                    options: [.init(key: "a", labelZh: "甲", labelEn: "A"), .init(key: "a", labelZh: "乙", labelEn: "B")]),
                "options", .duplicate
            ),
        ]
        for (definition, field, rule) in cases {
            let error = try #require(throws: ValidationError.self) { try definition.validate() }
            #expect(error.field == field)
            #expect(error.rule == rule)
            #expect(error.entity == "customFieldDefinition")
        }
    }

    @Test func recordsValidateTheirValuesAgainstDefinitions() throws {
        var customer = Samples.individualCustomer()
        try customer.validate(customFieldDefinitions: Self.all)
        customer.customFields["visits"] = "many"
        let typeError = try #require(throws: ValidationError.self) {
            try customer.validate(customFieldDefinitions: Self.all)
        }
        #expect(typeError.field == "customFields.visits")
        #expect(typeError.rule == .customFieldType)
        customer.customFields["visits"] = 4
        customer.customFields["shoeSize"] = 42
        let unknown = try #require(throws: ValidationError.self) {
            try customer.validateCustomFields(against: Self.all)
        }
        #expect(unknown.field == "customFields.shoeSize")
        #expect(unknown.rule == .unknownField)
    }

    @Test func definitionsOfAnotherEntityDoNotApply() throws {
        var order = Samples.order()
        order.customFields = ["region": "east"]
        #expect(throws: ValidationError.self) { try order.validateCustomFields(against: [Self.region]) }
    }

    @Test func keyRules() {
        #expect(CustomFieldDefinition.isValidKey("region2_code"))
        #expect(!CustomFieldDefinition.isValidKey("Region"))
        #expect(!CustomFieldDefinition.isValidKey("2region"))
        #expect(!CustomFieldDefinition.isValidKey("re.gion"))
        #expect(!CustomFieldDefinition.isValidKey("区域"))
        #expect(!CustomFieldDefinition.isValidKey(""))
        #expect(!CustomFieldDefinition.isValidKey("a" + String(repeating: "b", count: 64)))
    }
}
