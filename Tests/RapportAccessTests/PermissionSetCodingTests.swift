import Foundation
import RapportAccess
import RapportModels
import Testing

@Suite("PermissionSet JSON: entities as an object keyed by kind")
struct PermissionSetCodingTests {
    static let set = PermissionSet(
        entities: [.customer: [.read, .update], .complaint: .read], otherEntities: .none,
        ordinary: FieldClassPermission(read: .full, write: true))

    @Test("entities encode as {\"customer\": n}, as Docs/openapi.yaml declares, and decode back")
    func objectForm() throws {
        let data = try JSONEncoder().encode(Self.set)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let entities = try #require(json["entities"] as? [String: Int], "\(String(decoding: data, as: UTF8.self))")
        #expect(entities == ["customer": Int(EntityActions([.read, .update]).rawValue), "complaint": 1])
        #expect(try JSONDecoder().decode(PermissionSet.self, from: data) == Self.set)
    }

    @Test("the alternating array earlier releases stored still decodes; an unknown kind is refused by name")
    func legacyArrayAndUnknownKind() throws {
        var json = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(Self.set)) as? [String: Any])
        json["entities"] = ["complaint", 1, "customer", Int(EntityActions([.read, .update]).rawValue)]
        let legacy = try JSONSerialization.data(withJSONObject: json)
        #expect(try JSONDecoder().decode(PermissionSet.self, from: legacy) == Self.set)
        json["entities"] = ["spaceship": 1]
        let unknown = String(decoding: try JSONSerialization.data(withJSONObject: json), as: UTF8.self)
        #expect {
            try JSONDecoder().decode(PermissionSet.self, from: Data(unknown.utf8))
        } throws: { error in
            "\(error)".contains("unknown entity kind 'spaceship'")
        }
    }
}
