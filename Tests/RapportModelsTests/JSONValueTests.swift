import Foundation
import RapportModels
import Testing

@Suite("JSONValue")
struct JSONValueTests {
    @Test func integersStayExact() throws {
        let data = Data(#"{"big":9007199254740993,"small":-3,"pi":3.25,"huge":1e300}"#.utf8)
        let value = try RapportJSON.decoder().decode(JSONValue.self, from: data)
        #expect(value.objectValue?["big"] == .int(9_007_199_254_740_993))
        #expect(value.objectValue?["small"] == .int(-3))
        #expect(value.objectValue?["pi"] == .double(3.25))
        #expect(value.objectValue?["huge"] == .double(1e300))
        let again = try RapportJSON.decoder().decode(
            JSONValue.self, from: RapportJSON.encoder().encode(value))
        #expect(again == value)
    }

    @Test func integralDoubleEqualsIntAndHashesAlike() {
        #expect(JSONValue.double(2) == JSONValue.int(2))
        #expect(Set<JSONValue>([.double(2), .int(2)]).count == 1)
        #expect(JSONValue.double(2.5) != JSONValue.int(2))
    }

    @Test func everyCaseRoundTrips() throws {
        let value: JSONValue = [
            "null": nil, "bool": false, "int": 7, "double": 0.5, "string": "王芳",
            "array": [1, "two", [true]], "object": ["nested": ["deeper": "yes"]],
        ]
        let data = try RapportJSON.encoder().encode(value)
        #expect(try RapportJSON.decoder().decode(JSONValue.self, from: data) == value)
        #expect(value.objectValue?["bool"]?.boolValue == false)
        #expect(value.objectValue?["bool"]?.intValue == nil)
    }

    @Test func parserAgreesWithJSONDecoderOnEveryRecord() throws {
        for record in Samples.all {
            let data = try RapportJSON.encoder().encode(record)
            let parsed = try JSONValue(parsing: data)
            #expect(parsed == (try RapportJSON.decoder().decode(JSONValue.self, from: data)))
            #expect(try parsed.jsonData() == data, "serialising the parsed value gives the encoder's bytes")
        }
    }

    @Test func parserHandlesEscapesNumbersAndWhitespace() throws {
        let text =
            #" { "s" : "a\"b\\c\/d\n\u00e9\ud83d\ude00\u4e2d" , "n": [0, -0, 12, -7, 1.5, 2e3, -1E-2, 9223372036854775807, 9223372036854775808], "t": true, "f": false, "z": null } "#
        let value = try JSONValue(parsing: Data(text.utf8))
        let object = try #require(value.objectValue)
        #expect(object["s"] == "a\"b\\c/d\né😀中")
        #expect(object["n"] == [0, 0, 12, -7, 1.5, 2000.0, -0.01, .int(Int64.max), .double(9_223_372_036_854_775_808)])
        #expect(object["t"] == true && object["f"] == false && object["z"] == .null)
        let again = try JSONValue(parsing: value.jsonData())
        #expect(again == value)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "[01]", "-", "1.", ".5", "1e", "tru", "nul", "\"abc", "\"a\\x\"",
        "\"\\ud83d\"", "{a:1}", "[1 2]", "\"tab\there\"", "1 2", "1e999", "[\"\u{01}\"]",
    ])
    func parserRejectsMalformedJSON(text: String) {
        #expect(throws: ValidationError.self) { try JSONValue(parsing: Data(text.utf8)) }
    }

    @Test func parserLimitsNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: ValidationError.self) { try JSONValue(parsing: Data(deep.utf8)) }
        let fine = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: Never.self) { try JSONValue(parsing: Data(fine.utf8)) }
    }

    @Test func serialisationEscapesControlCharactersAndRefusesNonFiniteNumbers() throws {
        let value: JSONValue = ["k": "line\nbreak\u{01}\"quoted\""]
        #expect(String(decoding: try value.jsonData(), as: UTF8.self) == #"{"k":"line\nbreak\u0001\"quoted\""}"#)
        #expect(throws: ValidationError.self) { try JSONValue.double(.infinity).jsonData() }
    }
}
