import Foundation
import Logging
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// `GET /v1/info` on a real server: what the binary is, to anyone, and nothing about the
/// organisation it serves.
@Suite("Server information (GET /v1/info)")
struct ServerInfoTests {
    @Test("answers without a token with version, protocol versions, storage kind and build only")
    func infoWithoutToken() async throws {
        try await LiveServer.withRunning(label: "rapport-info-test", logLevel: .error) { server in
            let reply = try await server.send(.GET, "/v1/info")
            #expect(reply.status == 200, "\(reply.text)")
            let json = reply.json
            #expect(json["version"] as? String == RapportVersion.semantic)
            #expect(json["protocolVersion"] as? Int == SyncProtocol.currentVersion)
            #expect(json["protocolVersion"] as? Int == RapportVersion.protocolVersion)
            #expect(json["supportedProtocolVersions"] as? [Int] == Array(SyncProtocol.supportedVersions))
            #expect(json["storage"] as? String == "sqlite")
            #expect(json["build"] as? String == RapportVersion.build)
            #expect(json["configuration"] as? String == RapportVersion.configuration)
            // Exactly these keys: no counts, names, settings or anything else of the organisation.
            #expect(
                Set(json.keys)
                    == ["version", "protocolVersion", "supportedProtocolVersions", "storage", "build", "configuration"])

            // The same answer with a token (it is not a per-person view) ...
            let session = try await server.login(server.admin.loginName, password: server.admin.password)
            let authenticated = try await server.send(.GET, "/v1/info", token: session.tokens.accessToken)
            #expect(authenticated.status == 200 && authenticated.body == reply.body)
            // ... and no other method.
            let post = try await server.send(.POST, "/v1/info", body: Data("{}".utf8))
            #expect(post.status == 404 || post.status == 405, "\(post.status) \(post.text)")
        }
    }
}
