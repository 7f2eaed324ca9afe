import Foundation
import RapportModels
import RapportTesting
import Testing

/// The one version source, seen from outside: every built executable's `--version`, and
/// `rapport-admin version` against a real server.
@Suite("Versions (process)")
struct VersionProcessTests {
    /// Every executable of the package (`swift build --build-tests` builds them all).
    static let executables = [
        "rapport-server", "rapport-admin", "rapport-client", "rapport-load", "rapport-store-bench",
        "rapport-access-bench",
    ]

    @Test("every executable prints its name and RapportVersion with --version", arguments: executables)
    func versionFlag(executable: String) async throws {
        let home = try TemporaryDirectory(prefix: "rapport-version")
        defer { home.remove() }
        let outcome = try await ToolProcess(executableName: executable, home: home).run(["--version"])
        #expect(outcome.status == 0, "\(outcome)")
        #expect(
            outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == RapportVersion.line(for: executable),
            "\(outcome)")
    }

    @Test("rapport-admin version shows this tool and the server, as a table and as JSON")
    func adminVersion() async throws {
        try await withAdminServer { server, cli in
            // No sign-in needed: GET /v1/info is public.
            let table = try await cli.run(["version", "--server", server.url])
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains(RapportVersion.line(for: "rapport-admin")), "\(table)")
            #expect(table.stdout.contains("Server version: \(RapportVersion.semantic)"), "\(table)")
            #expect(table.stdout.contains("Storage:        sqlite"), "\(table)")

            let json = try await cli.run(["version", "--server", server.url, "--json"])
            #expect(json.status == 0, "\(json)")
            let object = try #require(json.json as? [String: Any], "\(json)")
            let client = try #require(object["client"] as? [String: Any])
            let remote = try #require(object["server"] as? [String: Any])
            #expect(client["version"] as? String == RapportVersion.semantic)
            #expect(remote["version"] as? String == RapportVersion.semantic)
            #expect(remote["protocolVersion"] as? Int == RapportVersion.protocolVersion)
            #expect(remote["storage"] as? String == "sqlite")
            #expect(remote["url"] as? String == server.url)

            // Signed in, the saved session's server is used.
            #expect(try await cli.login(server).status == 0)
            let saved = try await cli.run(["version"])
            #expect(
                saved.status == 0 && saved.stdout.contains("Server version: \(RapportVersion.semantic)"), "\(saved)")
        }
    }

    @Test("rapport-admin status shows the server's /v1/info: version, protocol, storage, build")
    func adminStatusShowsInfo() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            let table = try await cli.run(["status"])
            #expect(table.status == 0, "\(table)")
            #expect(table.stdout.contains("Version:") && table.stdout.contains(RapportVersion.semantic), "\(table)")
            #expect(table.stdout.contains("Sync protocol:") && table.stdout.contains("Storage:"), "\(table)")
            #expect(table.stdout.contains("sqlite"), "\(table)")

            let json = try await cli.run(["status", "--json"])
            let object = try #require(json.json as? [String: Any], "\(json)")
            #expect(object["version"] as? String == RapportVersion.semantic)
            #expect(object["protocolVersion"] as? Int == RapportVersion.protocolVersion)
            #expect(object["storage"] as? String == "sqlite")
            #expect(object["build"] as? String == RapportVersion.build)
        }
    }

    @Test("rapport-admin version without a server fails precisely; --client needs none")
    func adminVersionOffline() async throws {
        let cli = try AdminCLI()
        defer { cli.remove() }
        let offline = try await cli.run(["version"])
        #expect(offline.status == 1, "\(offline)")
        #expect(offline.stderr.contains("--server"), "\(offline)")
        let unreachable = try await cli.run(["version", "--server", "http://127.0.0.1:1"])
        #expect(unreachable.status == 1, "\(unreachable)")
        let clientOnly = try await cli.run(["version", "--client"])
        #expect(clientOnly.status == 0, "\(clientOnly)")
        #expect(clientOnly.stdout.contains(RapportVersion.line(for: "rapport-admin")), "\(clientOnly)")
        let clientJSON = try await cli.run(["version", "--client", "--json"])
        let object = try #require(clientJSON.json as? [String: Any], "\(clientJSON)")
        #expect((object["client"] as? [String: Any])?["version"] as? String == RapportVersion.semantic)
        #expect(object["server"] == nil)
    }
}
