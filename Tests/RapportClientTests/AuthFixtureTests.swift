import Foundation
import RapportClient
import RapportModels
import RapportProtocol
import RapportServer
import Testing

/// The sign-in fixtures under `Docs/fixtures/auth-*.json` decode with both the server's and the
/// client library's types and re-encode to equal JSON, so the two sides cannot drift apart.
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

    @Test("login request: client and server agree")
    func loginRequest() throws {
        let data = try Self.data("auth-login-request.json")
        #expect(try Self.sameJSON(SignInRequest.self, data))
        #expect(try Self.sameJSON(LoginRequest.self, data))
    }

    @Test("login response: the server's shape decodes in the client; the lease key is 32 bytes")
    func loginResponse() throws {
        let data = try Self.data("auth-login-response.json")
        #expect(try Self.sameJSON(LoginResponse.self, data))
        let client = try RapportJSON.decoder().decode(SignInResponse.self, from: data)
        #expect(Data(base64Encoded: client.lease.key)?.count == 32)
        #expect(client.staff.roles == ["salesRep"])
    }

    @Test("refresh and lease: client and server agree")
    func refreshAndLease() throws {
        #expect(try Self.sameJSON(RefreshRequest.self, try Self.data("auth-refresh-request.json")))
        #expect(try Self.sameJSON(TokenPair.self, try Self.data("auth-refresh-response.json")))
        _ = try RapportJSON.decoder().decode(SessionTokens.self, from: try Self.data("auth-refresh-response.json"))
        #expect(try Self.sameJSON(LeaseGrant.self, try Self.data("auth-lease-response.json")))
        #expect(try Self.sameJSON(KeyLease.self, try Self.data("auth-lease-response.json")))
    }
}
