import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import Testing

/// The sign-in fixtures under `Docs/fixtures/auth-*.json` decode with the one set of sign-in
/// types in `RapportProtocol` (which the server and the client library both use) and re-encode
/// to equal JSON; the server's conversion of its staff record gives the wire's strings.
@Suite("Sign-in fixtures")
struct AuthFixtureTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../Docs/fixtures").standardizedFileURL

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    static func sameJSON<T: Codable>(_ type: T.Type, _ data: Data) throws -> Bool {
        let value = try RapportJSON.decoder().decode(T.self, from: data)
        let original = try JSONDecoder().decode(JSONValue.self, from: data)
        let again = try JSONDecoder().decode(JSONValue.self, from: try SyncWire.encode(value))
        return original == again
    }

    @Test("login request and response round-trip; the lease key is 32 bytes")
    func login() throws {
        #expect(try Self.sameJSON(LoginRequest.self, try Self.data("auth-login-request.json")))
        let data = try Self.data("auth-login-response.json")
        #expect(try Self.sameJSON(LoginResponse.self, data))
        let response = try RapportJSON.decoder().decode(LoginResponse.self, from: data)
        #expect(Data(base64Encoded: response.lease.key)?.count == 32)
        #expect(response.staff.roles == ["salesRep"])
        #expect(response.tokens.tokenType == "Bearer")
    }

    @Test("refresh and lease round-trip")
    func refreshAndLease() throws {
        #expect(try Self.sameJSON(RefreshRequest.self, try Self.data("auth-refresh-request.json")))
        #expect(try Self.sameJSON(TokenPair.self, try Self.data("auth-refresh-response.json")))
        #expect(try Self.sameJSON(LeaseGrant.self, try Self.data("auth-lease-response.json")))
    }

    @Test("tokens a client saved before tokenType was sent still decode, as Bearer")
    func tokensWithoutType() throws {
        var object = try #require(
            try JSONDecoder().decode(JSONValue.self, from: try Self.data("auth-refresh-response.json")).objectValue)
        object["tokenType"] = nil
        let tokens = try RapportJSON.decoder().decode(
            TokenPair.self, from: try SyncWire.encode(JSONValue.object(object)))
        #expect(tokens.tokenType == "Bearer")
    }

    @Test("the server summarises its staff record with the wire's role and status names")
    func signedInStaff() {
        let staff = Staff(id: UUID(), name: "Ana Lima", teamId: UUID(), roles: [.salesRep, .manager], status: .notice)
        let summary = SignedInStaff(staff)
        #expect(summary.roles == [RoleID.manager.rawValue, RoleID.salesRep.rawValue].sorted())
        #expect(summary.status == "notice")
    }
}
