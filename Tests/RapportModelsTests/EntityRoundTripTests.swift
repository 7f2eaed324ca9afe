import Foundation
import RapportModels
import Testing

@Suite("Entities round-trip")
struct EntityRoundTripTests {
    static func jsonRoundTrip<E: Entity>(_ record: E) throws -> E {
        try RapportJSON.decode(E.self, from: RapportJSON.encoder().encode(record))
    }

    static func fieldMapRoundTrip<E: Entity>(_ record: E) throws -> E {
        try E.from(fieldMap: record.fieldMap())
    }

    static func isEqual<E: Entity>(_ record: E, _ other: any Entity) -> Bool {
        (other as? E) == record
    }

    @Test(arguments: Samples.all.indices)
    func fullRecordsRoundTripThroughJSONAndFieldMap(index: Int) throws {
        let record = Samples.all[index]
        try record.validate()
        #expect(Self.isEqual(record, try Self.jsonRoundTrip(record)))
        #expect(Self.isEqual(record, try Self.fieldMapRoundTrip(record)))
    }

    @Test(arguments: Samples.minimal.indices)
    func minimalRecordsRoundTripAndValidate(index: Int) throws {
        let record = Samples.minimal[index]
        try record.validate()
        #expect(Self.isEqual(record, try Self.jsonRoundTrip(record)))
        #expect(Self.isEqual(record, try Self.fieldMapRoundTrip(record)))
    }

    @Test func everyKindHasItsOwnTypeAndSample() {
        for kind in EntityKind.allCases {
            #expect(kind.entityType.kind == kind)
            #expect(type(of: Samples.full(kind)).kind == kind)
        }
    }

    @Test func encodingIsStableAndUsesTheDocumentedNames() throws {
        let data = try RapportJSON.encoder().encode(Samples.order())
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.hasPrefix(#"{"createdAt":"2025-06-01T09:00:00.125Z","createdBy":"#))
        #expect(text.contains(#""netAmount":1250000"#))
        #expect(text.contains(#""grossProfit":-20000"#))
        #expect(try RapportJSON.encoder().encode(Samples.order()) == data)
        let tags = String(decoding: try RapportJSON.encoder().encode(Samples.individualCustomer()), as: UTF8.self)
        #expect(tags.contains(#""tags":["vip","华东"]"#))
    }

    @Test func surveyLevelIsWrittenAsAnInteger() throws {
        let text = String(decoding: try RapportJSON.encoder().encode(Samples.satisfactionSurvey()), as: UTF8.self)
        #expect(text.contains(#""level":4"#))
    }

    @Test func typeErasedDecodingByKind() throws {
        let record = Samples.complaint()
        let decoded = try EntityKind.complaint.entityType.from(fieldMap: record.fieldMap())
        #expect(decoded as? Complaint == record)
    }
}
