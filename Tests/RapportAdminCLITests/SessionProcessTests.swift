import Foundation
import RapportAccess
import RapportModels
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The built `rapport-admin` against a real server: login, logout, status, sessions, tokens,
/// exit codes and messages.
@Suite("rapport-admin sessions and status (process)")
struct SessionProcessTests {
    @Test func loginStatusLogout() async throws {
        try await withAdminServer { server, cli in

            let login = try await cli.login(server)
            #expect(login.status == 0, "\(login)")
            #expect(login.stdout.contains("Signed in to \(server.url) as Administrator (admin)"))
            let mode = try FileManager.default.attributesOfItem(atPath: cli.sessionFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let saved = try String(contentsOfFile: cli.sessionFile, encoding: .utf8)
            #expect(!saved.contains(server.admin.password))

            let status = try await cli.run(["status"])
            #expect(status.status == 0, "\(status)")
            #expect(status.stdout.contains("Health:"))
            #expect(status.stdout.contains("ok"))
            #expect(status.stdout.contains("Readiness:"))
            #expect(status.stdout.contains("Signed in as:  Administrator (admin)"))

            let json = try await cli.run(["status", "--json"])
            #expect(json.status == 0, "\(json)")
            let object = try #require(json.json as? [String: Any])
            #expect(object["health"] as? String == "ok")
            #expect(object["readiness"] as? String == "ready")
            #expect(object["server"] as? String == server.url)

            let logout = try await cli.run(["logout"])
            #expect(logout.status == 0, "\(logout)")
            #expect(!FileManager.default.fileExists(atPath: cli.sessionFile))
            let after = try await cli.run(["status"])
            #expect(after.status == 1)
            #expect(after.stderr.contains("no saved session; run `rapport-admin login --server URL`"))
        }
    }

    @Test func wrongPasswordAndNonAdministrator() async throws {
        try await withAdminServer { server, cli in
            let wrong = try await cli.login(server, password: "not the password")
            #expect(wrong.status == 1, "\(wrong)")
            #expect(wrong.stderr.contains("wrong login name or password"))
            #expect(!FileManager.default.fileExists(atPath: cli.sessionFile))

            try await server.addStaff("Ana Lima", login: "ana.rep")
            let rep = try await cli.login(server, login: "ana.rep", password: "correct horse battery")
            #expect(rep.status == 1, "\(rep)")
            #expect(rep.stderr.contains("ana.rep signed in but is not an administrator"))
            #expect(!FileManager.default.fileExists(atPath: cli.sessionFile))

            let json = try await cli.login(server, password: "nope", extra: ["--json"])
            #expect(json.status == 1)
            let error = try #require(
                (try? JSONSerialization.jsonObject(with: Data(json.stderr.utf8))) as? [String: [String: Any]])
            #expect(error["error"]?["serverCode"] as? String == "invalidCredentials")
        }
    }

    @Test func revokedSessionSaysToLogInAgain() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            // Another administrator revokes this device's tokens (access and refresh).
            let session = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.sessionFile))) as? [String: Any])
            let device = try #require(UUID(uuidString: session["deviceId"] as? String ?? ""))
            try await server.services.storage.revokeTokens(deviceId: device, at: Date())
            let status = try await cli.run(["audit", "tail"])
            #expect(status.status == 1, "\(status)")
            #expect(status.stderr.contains("your session on \(server.url) has expired or was revoked"))
            #expect(status.stderr.contains("rapport-admin login --server \(server.url)"))
        }
    }

    @Test func expiredAccessTokenIsRefreshedAndSaved() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            var session = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.sessionFile))) as? [String: Any])
            let oldToken = session["accessToken"] as? String
            session["accessTokenExpiresAt"] = "2001-01-01T00:00:00.000Z"  // long past, whatever today is
            try JSONSerialization.data(withJSONObject: session).write(to: URL(fileURLWithPath: cli.sessionFile))
            let tail = try await cli.run(["audit", "tail", "--json"])
            #expect(tail.status == 0, "\(tail)")
            let renewed = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.sessionFile))) as? [String: Any])
            #expect(renewed["accessToken"] as? String != oldToken)
            #expect(renewed["accessTokenExpiresAt"] as? String != "2001-01-01T00:00:00.000Z")
            let mode = try FileManager.default.attributesOfItem(atPath: cli.sessionFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func serverDownAndBadToken() async throws {
        let server = try await AdminTestServer.startForAdmin()
        let url = server.url
        let cli = try AdminCLI()
        defer { cli.remove() }
        let badToken = try await cli.run(["audit", "tail"], environment: ["RAPPORT_SERVER": url, "RAPPORT_TOKEN": "nonsense"])
        #expect(badToken.status == 1, "\(badToken)")
        #expect(badToken.stderr.contains("the server refused the token"))
        try await server.stop()
        let down = try await cli.run(["status", "--server", url, "--token", "whatever"])
        #expect(down.status == 1, "\(down)")
        #expect(down.stderr.contains("cannot reach the Rapport server at \(url) (connection refused)"))
        #expect(down.stderr.contains("--server or RAPPORT_SERVER"))
    }

    @Test func usageErrorsExitTwoWithPreciseMessages() async throws {
        let cli = try AdminCLI()
        defer { cli.remove() }
        let duration = try await cli.run([
            "grant", "add", "Ana", "--customer", UUID().uuidString, "--for", "7x", "--reason", "cover",
        ])
        #expect(duration.status == 2, "\(duration)")
        #expect(duration.stderr.contains("'7x' is not a duration: 'x' is not a unit (s, m, h, d or w)"))
        let unknown = try await cli.run(["staff", "fire", "ana"])
        #expect(unknown.status == 2)
        let url = try await cli.run(["status", "--server", "crm.example.com"])
        #expect(url.status == 2, "\(url)")
        #expect(url.stderr.contains("is not a server URL"))
        // A destructive command without a terminal and without --yes refuses before doing anything.
        let wipe = try await cli.run(
            ["device", "wipe", UUID().uuidString, "--server", "http://127.0.0.1:9", "--token", "t"])
        #expect(wipe.status == 2, "\(wipe)")
        #expect(wipe.stderr.contains("re-run with --yes"))
        let help = try await cli.run(["staff", "offboard", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Examples:"))
        let completion = try await cli.run(["--generate-completion-script", "bash"])
        #expect(completion.status == 0)
        #expect(completion.stdout.contains("rapport-admin"))
    }

    @Test func tlsServerWithPrivateCA() async throws {
        let certificates = try AdminCLI()
        defer { certificates.remove() }
        let cert = certificates.home.path("cert.pem")
        let key = certificates.home.path("key.pem")
        let openssl = try ChildProcess.launch(
            executable: URL(fileURLWithPath: "/usr/bin/env"),
            arguments: [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
            ],
            environment: ProcessInfo.processInfo.environment)
        try #require(await openssl.exit() == .exited(0), "openssl could not make a test certificate")

        try await withAdminServer(configure: { configuration in
            configuration.tls = .init(certificatePath: cert, privateKeyPath: key)
        }) { server, cli in
            #expect(server.url.hasPrefix("https://"))
            let untrusted = try await cli.login(server)
            #expect(untrusted.status == 1, "\(untrusted)")
            #expect(untrusted.stderr.contains("--ca-file"))
            let trusted = try await cli.login(server, extra: ["--ca-file", cert])
            #expect(trusted.status == 0, "\(trusted)")
            let tail = try await cli.run(["audit", "tail"], environment: ["RAPPORT_CA_FILE": cert])
            #expect(tail.status == 0, "\(tail)")
        }
    }
}
