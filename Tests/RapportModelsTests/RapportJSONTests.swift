import Foundation
import RapportModels
import Testing

@Suite("RapportJSON conventions")
struct RapportJSONTests {
    @Test func timestampsAreWrittenInUTCWithMilliseconds() throws {
        let date = try #require(RapportJSON.date(from: "2026-03-01T08:30:00.250Z"))
        #expect(RapportJSON.string(from: date) == "2026-03-01T08:30:00.250Z")
        #expect(date.timeIntervalSince1970 == 1_772_353_800.25)
    }

    @Test func decoderAcceptsTimestampsWithoutFractionOrWithOffset() throws {
        let plain = try #require(RapportJSON.date(from: "2026-03-01T08:30:00Z"))
        let offset = try #require(RapportJSON.date(from: "2026-03-01T16:30:00+08:00"))
        let long = try #require(RapportJSON.date(from: "2026-03-01T08:30:00.123456789Z"))
        #expect(plain == offset)
        #expect(RapportJSON.string(from: long) == "2026-03-01T08:30:00.123Z")
    }

    @Test(arguments: [
        "2026-02-30T00:00:00Z", "2026-03-01 08:30:00Z", "2026-03-01T24:00:00Z", "2026-03-01T08:30:00",
        "2026-03-01T08:30:00.Z", "not a date", "",
    ])
    func malformedTimestampsAreRejected(text: String) {
        #expect(RapportJSON.date(from: text) == nil)
    }

    @Test func datesBeforeTheEpochRoundTrip() throws {
        let date = try #require(RapportJSON.date(from: "1969-12-31T23:59:59.999Z"))
        #expect(RapportJSON.string(from: date) == "1969-12-31T23:59:59.999Z")
        #expect(date == Date(timeIntervalSinceReferenceDate: -978_307_200.001))
    }

    @Test func millisecondDatesRoundTripExactly() throws {
        for step in stride(from: Int64(-5_000_000_000_000), to: 5_000_000_000_000, by: 7_777_777_777) {
            let date = Date(timeIntervalSinceReferenceDate: Double(step) / 1000)
            let text = RapportJSON.string(from: date)
            #expect(RapportJSON.date(from: text) == date, "\(text)")
            #expect(RapportJSON.roundedToWirePrecision(date) == date)
        }
    }

    @Test func encoderSortsKeys() throws {
        let value: JSONValue = ["b": 1, "a": ["z": true, "y": nil]]
        let text = String(decoding: try RapportJSON.encoder().encode(value), as: UTF8.self)
        #expect(text == #"{"a":{"y":null,"z":true},"b":1}"#)
    }

    @Test func unknownEnumValueNamesTheFieldAndTheAllowedValues() throws {
        let json = Data(#"{"kind":"robot"}"#.utf8)
        struct Holder: Codable { var kind: Customer.Kind }
        let error = try #require(throws: ValidationError.self) {
            try RapportJSON.decode(Holder.self, from: json)
        }
        #expect(error.field == "kind")
        #expect(error.rule == .enumValue)
        #expect(error.message.contains("individual, enterprise"))
    }
}
