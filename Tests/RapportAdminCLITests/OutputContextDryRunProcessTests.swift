import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The built `rapport-admin` against a real server: output formats, named contexts and
/// `--dry-run` on destructive commands.
@Suite("rapport-admin formats, contexts and dry runs (process)")
struct OutputContextDryRunProcessTests {
    @Test func formatsAndFieldSelection() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            try await server.addStaff("Ana Lima", login: "ana.rep")

            let yaml = try await cli.run(["staff", "list", "-o", "yaml"])
            #expect(yaml.status == 0, "\(yaml)")
            #expect(yaml.stdout.contains("name: Ana Lima"), "\(yaml.stdout)")

            let names = try await cli.run(["staff", "list", "-o", "jsonpath={.items[*].name}"])
            #expect(names.status == 0, "\(names)")
            #expect(names.stdout.split(separator: "\n").contains("Ana Lima"), "\(names.stdout)")

            let fields = try await cli.run(["staff", "list", "--fields", "name,status", "-o", "json"])
            #expect(fields.status == 0, "\(fields)")
            let listed = try #require((fields.json as? [String: Any])?["items"] as? [[String: Any]])
            #expect(listed.allSatisfy { Set($0.keys) == ["name", "status"] }, "\(listed)")

            let columns = try await cli.run(["staff", "list", "--fields", "name,status"])
            #expect(columns.status == 0 && columns.stdout.contains("NAME") && columns.stdout.contains("STATUS"), "\(columns)")

            let unknown = try await cli.run(["staff", "list", "--fields", "name,salary", "-o", "json"])
            #expect(unknown.status == 2, "\(unknown)")
            #expect(unknown.stderr.contains("unknown field salary"), "\(unknown.stderr)")

            let bad = try await cli.run(["staff", "list", "-o", "xml"])
            #expect(bad.status == 2 && bad.stderr.contains("-o table, -o json, -o yaml"), "\(bad)")
            let clash = try await cli.run(["staff", "list", "--json", "-o", "yaml"])
            #expect(clash.status == 2, "\(clash)")

            let fromEnvironment = try await cli.run(["staff", "list"], environment: ["RAPPORT_OUTPUT": "yaml"])
            #expect(fromEnvironment.status == 0 && fromEnvironment.stdout.contains("name: Ana Lima"), "\(fromEnvironment)")
        }
    }

    @Test func namedContextsKeepOneSessionEach() async throws {
        try await withAdminServer { server, cli in
            let stdin = server.admin.password + "\n"
            let prod = try await cli.run(
                ["login", "--context", "prod", "--server", server.url, "--login-name", "admin", "--password-stdin"], stdin: stdin)
            #expect(prod.status == 0 && prod.stdout.contains("in context prod"), "\(prod)")
            let contextsFile = cli.home.path("config/rapport/contexts.json")
            let mode = try FileManager.default.attributesOfItem(atPath: contextsFile)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            // A second context for a server that is not running: adding it does not sign in.
            let added = try await cli.run(["context", "add", "staging", "--server", "http://127.0.0.1:9"])
            #expect(added.status == 0, "\(added)")
            let list = try await cli.run(["context", "list"])
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.contains("* ") && list.stdout.contains("prod") && list.stdout.contains("staging"), "\(list.stdout)")
            #expect(list.stdout.contains("(not signed in)"))

            // Commands use the current context (prod) with no flags at all.
            let staff = try await cli.run(["staff", "list"])
            #expect(staff.status == 0, "\(staff)")

            // Switch: now commands go to staging, which has no session.
            #expect(try await cli.run(["context", "use", "staging"]).status == 0)
            let signedOut = try await cli.run(["staff", "list"])
            #expect(signedOut.status == 1 && signedOut.stderr.contains("not signed in to http://127.0.0.1:9"), "\(signedOut)")
            // --context picks another one for one command; RAPPORT_CONTEXT too.
            #expect(try await cli.run(["staff", "list", "--context", "prod"]).status == 0)
            #expect(try await cli.run(["staff", "list"], environment: ["RAPPORT_CONTEXT": "prod"]).status == 0)

            let unknown = try await cli.run(["staff", "list", "--context", "nope"])
            #expect(unknown.status == 1 && unknown.stderr.contains("no context named 'nope'"), "\(unknown)")
            let badName = try await cli.run(["context", "use", "../etc"])
            #expect(badName.status != 0 && badName.stderr.contains("not a context name"), "\(badName)")
            let both = try await cli.run(["staff", "list", "--context", "prod", "--session-file", cli.sessionFile])
            #expect(both.status == 2, "\(both)")

            let removed = try await cli.run(["context", "remove", "prod"])
            #expect(removed.status == 0, "\(removed)")
            #expect(!FileManager.default.fileExists(atPath: cli.home.path("config/rapport/admin-session.prod.json")))
            let shown = try await cli.run(["context", "show", "-o", "json"])
            #expect(shown.status == 0 && (shown.json as? [String: Any])?["name"] as? String == "staging", "\(shown)")
        }
    }

    @Test func dryRunShowsTheChangeAndMakesNone() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            try await server.addStaff("Ana Lima", login: "ana.rep")
            try await server.addStaff("Martin Keller", login: "martin.manager", roles: [.manager])
            let phone = try await server.signIn("ana.rep")

            // No terminal and no --yes: a dry run still works (nothing to confirm).
            let revoke = try await cli.run(["device", "revoke", phone.deviceId.uuidString, "--dry-run"])
            #expect(revoke.status == 0, "\(revoke)")
            #expect(revoke.stdout.contains("Dry run — nothing was changed."), "\(revoke.stdout)")
            #expect(revoke.stdout.contains("Request: POST /v1/admin/devices/\(phone.deviceId.uuidString)/revoke"))
            #expect(try await server.services.storage.device(id: phone.deviceId)?.device.status == .active)

            let offboard = try await cli.run([
                "staff", "offboard", "Ana Lima", "--reassign-to", "Martin Keller", "--dry-run", "-o", "json",
            ])
            #expect(offboard.status == 0, "\(offboard)")
            let plan = try #require(offboard.json as? [String: Any])
            #expect(plan["dryRun"] as? Bool == true)
            #expect((plan["effect"] as? String)?.contains("Offboard Ana Lima?") == true)
            let request = try #require(plan["request"] as? [String: Any])
            #expect(request["method"] as? String == "POST")
            #expect((request["path"] as? String)?.hasSuffix("/offboard") == true)
            #expect((request["body"] as? [String: Any])?["reassignTo"] != nil)
            #expect(try await server.services.storage.staff(id: phone.staff.id)?.status == .active)
        }
    }
}
