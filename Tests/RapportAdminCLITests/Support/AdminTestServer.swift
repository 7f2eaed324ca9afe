import Foundation
import Logging
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting

/// The real server the CLI's process tests run against (`RapportServerTesting`).
typealias AdminTestServer = LiveServer

extension LiveServer {
    /// Starts a server for CLI tests (quiet logs).
    static func startForAdmin(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> LiveServer {
        try await start(label: "rapport-admin-test", logLevel: .error, configure: configure)
    }

    var url: String { baseURL }

    /// Signs a member of staff in on a new device (as their phone would) and returns the device id.
    @discardableResult
    func signIn(_ login: String, password: String = "correct horse battery", platform: String = "ios") async throws
        -> LoginResponse
    {
        try await services.identity.login(
            LoginRequest(
                loginName: login, password: password,
                device: DeviceInfo(id: UUID(), name: "\(login)'s phone", platform: platform)))
    }
}

/// Starts a server and a CLI sandbox, runs `body`, and stops the server and removes the
/// sandbox whatever happens (a failed `#require` or a cancelled test included).
func withAdminServer(
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (AdminTestServer, AdminCLI) async throws -> Void
) async throws {
    try await LiveServer.withRunning(label: "rapport-admin-test", logLevel: .error, configure: configure) { server in
        let cli = try AdminCLI()
        defer { cli.remove() }
        try await body(server, cli)
    }
}
