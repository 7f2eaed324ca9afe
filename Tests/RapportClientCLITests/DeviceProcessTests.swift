import Foundation
import RapportAccess
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The built `rapport-client` against a real server on an ephemeral port.
@Suite("rapport-client against a live server", .serialized)
struct DeviceProcessTests {
    static func object(_ outcome: ClientCLI.Outcome) throws -> [String: Any] {
        try #require(outcome.json as? [String: Any], "\(outcome)")
    }

    @Test("one rep's day: login, create offline, sync, list/show/search, edit, interaction, complaint, logout")
    func repDay() async throws {
        try await withClientServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana")
            let login = try await cli.login(server, "ana", device: "phone")
            #expect(login.status == 0, "\(login)")
            #expect(login.stdout.contains("signed in as Ana Lima"))
            #expect(login.stdout.contains("key lease until"))

            let created = try await cli.on(
                "phone",
                [
                    "create", "--name", "Wang Fang", "--phone", "13812345678", "--notes", "likes green tea", "--tag",
                    "vip",
                ])
            #expect(created.status == 0, "\(created)")
            let id = created.firstLine
            #expect(UUID(uuidString: id) != nil, "\(created)")

            let pending = try Self.object(try await cli.on("phone", ["status", "--json"]))
            #expect(pending["pendingEdits"] as? Int == 1)
            #expect(pending["signedIn"] as? String == "Ana Lima")

            let sync = try await cli.on("phone", ["sync"])
            #expect(sync.status == 0, "\(sync)")
            #expect(sync.stdout.contains("pushed 1 edits"))
            let synced = try Self.object(try await cli.on("phone", ["status", "--json"]))
            #expect(synced["pendingEdits"] as? Int == 0)
            #expect(synced["lastSync"] as? String != "never")

            let list = try await cli.on("phone", ["customers", "list", "--owner", "me"])
            #expect(list.status == 0 && list.stdout.contains("Wang Fang") && list.stdout.contains("vip"), "\(list)")
            let search = try await cli.on("phone", ["customers", "search", "wang"])
            #expect(search.stdout.contains("Wang Fang"), "\(search)")
            let miss = try await cli.on("phone", ["customers", "search", "nobody"])
            #expect(miss.status == 0 && !miss.stdout.contains("Wang Fang"))

            // A rep's device holds sensitive fields masked: shown as masked, never as empty.
            let show = try await cli.on("phone", ["customers", "show", String(id.prefix(8))])
            #expect(show.status == 0, "\(show)")
            let notes = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("notes ") })
            #expect(notes.contains("•••• (masked)"))
            let phones = try #require(show.stdout.split(separator: "\n").first { $0.hasPrefix("individual.phones ") })
            #expect(phones.contains("(masked)") && phones.contains("138****5678"), "\(phones)")

            let refused = try await cli.on("phone", ["edit", id, "--set", "notes=new notes"])
            #expect(refused.status == 1 && refused.stderr.contains("masked"), "\(refused)")

            let edit = try await cli.on(
                "phone", ["edit", id, "--set", "name=Wang Fang (Shanghai)", "--set", "loyaltyPoints=120"])
            #expect(edit.status == 0, "\(edit)")
            let invalid = try await cli.on("phone", ["edit", id, "--set", "paymentTermDays=9999"])
            #expect(invalid.status == 1 && invalid.stderr.contains("between 0 and 365"), "\(invalid)")

            let interaction = try await cli.on(
                "phone",
                [
                    "log-interaction", id, "--type", "visit", "--summary", "Talked about the spring order", "--at",
                    "2026-03-01T08:30:00Z",
                ])
            #expect(interaction.status == 0 && UUID(uuidString: interaction.firstLine) != nil, "\(interaction)")

            let complaint = try await cli.on(
                "phone",
                [
                    "complaint", "open", id, "--title", "Late delivery", "--description", "Two weeks late",
                    "--severity", "high",
                ])
            #expect(complaint.status == 0, "\(complaint)")
            let complaintId = complaint.firstLine
            let next = try await cli.on("phone", ["complaint", "advance", complaintId])
            #expect(next.status == 0 && next.stdout.contains("received → acknowledged"), "\(next)")
            let resolved = try await cli.on(
                "phone", ["complaint", "advance", complaintId, "--to", "resolved", "--note", "Refunded shipping"])
            #expect(resolved.status == 0 && resolved.stdout.contains("acknowledged → resolved"), "\(resolved)")
            let backwards = try await cli.on("phone", ["complaint", "advance", complaintId, "--to", "acknowledged"])
            #expect(backwards.status == 1 && backwards.stderr.contains("only move forward"), "\(backwards)")

            let second = try await cli.on("phone", ["sync", "--json"])
            let report = try Self.object(second)
            // The customer edit, the interaction and the complaint (with its stage moves) go through.
            #expect((report["applied"] as? Int ?? 0) + (report["merged"] as? Int ?? 0) >= 3, "\(second)")
            #expect(report["rejections"] as? Int == 0, "\(second)")
            let after = try await cli.on("phone", ["customers", "show", id, "--json"])
            let fields = try #require(try Self.object(after)["fields"] as? [String: Any])
            #expect(fields["name"] as? String == "Wang Fang (Shanghai)")
            #expect(fields["loyaltyPoints"] as? Int == 120)

            // Logout refuses with unsynced edits, then discards them when told to.
            _ = try await cli.on("phone", ["edit", id, "--set", "name=Unsynced"])
            let blocked = try await cli.on("phone", ["logout"])
            #expect(blocked.status == 1 && blocked.stderr.contains("not synced"), "\(blocked)")
            let noYes = try await cli.on("phone", ["logout", "--discard-pending"])
            #expect(noYes.status == 2 && noYes.stderr.contains("--yes"), "\(noYes)")
            let out = try await cli.on("phone", ["logout", "--discard-pending", "--yes"])
            #expect(out.status == 0 && out.stdout.contains("signed out Ana Lima"), "\(out)")
            let gone = try await cli.on("phone", ["status"])
            #expect(gone.status == 1 && gone.stderr.contains("no one is signed in"), "\(gone)")
        }
    }

    @Test("a conflict between two devices of one person shows in conflicts, and --clear dismisses it")
    func conflict() async throws {
        try await withClientServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana")
            #expect(try await cli.login(server, "ana", device: "phone").status == 0)
            #expect(try await cli.login(server, "ana", device: "tablet").status == 0)
            let id = try await cli.on("phone", ["create", "--name", "Li Wei"]).firstLine
            #expect(try await cli.on("phone", ["sync"]).status == 0)
            #expect(try await cli.on("tablet", ["sync"]).status == 0)
            #expect(try await cli.on("phone", ["edit", id, "--set", "name=Li Wei (phone)"]).status == 0)
            #expect(try await cli.on("tablet", ["edit", id, "--set", "name=Li Wei (tablet)"]).status == 0)
            #expect(try await cli.on("phone", ["sync"]).status == 0)
            let sync = try await cli.on("tablet", ["sync"])
            #expect(sync.stdout.contains("conflicts: 1"), "\(sync)")

            let conflicts = try await cli.on("tablet", ["conflicts"])
            #expect(conflicts.status == 0, "\(conflicts)")
            let row = try #require(
                conflicts.stdout.split(separator: "\n").first { $0.contains(" name ") }, "\(conflicts)")
            #expect(row.contains("Li Wei (phone)") && row.contains("Li Wei (tablet)"))
            let json = try Self.object(try await cli.on("tablet", ["conflicts", "--json"]))
            let first = try #require((json["conflicts"] as? [[String: Any]])?.first)
            #expect(first["field"] as? String == "name" && first["base"] as? String == "Li Wei")
            let status = try Self.object(try await cli.on("tablet", ["status", "--json"]))
            #expect(status["conflicts"] as? Int == 1)

            #expect(try await cli.on("tablet", ["conflicts", "--clear"]).status == 0)
            let cleared = try await cli.on("tablet", ["conflicts"])
            #expect(cleared.stdout.contains("no conflicts and no rejected edits"), "\(cleared)")
            // Both devices end with the same name.
            #expect(try await cli.on("phone", ["sync"]).status == 0)
            let phone = try Self.object(try await cli.on("phone", ["customers", "show", id, "--json"]))
            let tablet = try Self.object(try await cli.on("tablet", ["customers", "show", id, "--json"]))
            #expect(
                (phone["fields"] as? [String: Any])?["name"] as? String == (tablet["fields"] as? [String: Any])?["name"]
                    as? String)
        }
    }

    @Test("an edit the server refuses is rolled back and listed as a rejection; a manager may delete")
    func refusalsAndDelete() async throws {
        try await withClientServer { server, cli in
            let team = Team(id: UUID(), name: "North")
            try await server.addStaff("Ana Lima", login: "ana", team: team)
            try await server.addStaff("Martin Keller", login: "martin", roles: [.manager], team: team)
            #expect(try await cli.login(server, "ana", device: "rep").status == 0)
            let id = try await cli.on("rep", ["create", "--name", "Zhou Min"]).firstLine
            #expect(try await cli.on("rep", ["sync"]).status == 0)

            let noConfirm = try await cli.on("rep", ["delete", id])
            #expect(noConfirm.status == 2 && noConfirm.stderr.contains("--yes"), "\(noConfirm)")
            #expect(try await cli.on("rep", ["delete", id, "--yes"]).status == 0)
            let sync = try await cli.on("rep", ["sync"])
            #expect(sync.stdout.contains("rejected edits: 1"), "\(sync)")
            let conflicts = try await cli.on("rep", ["conflicts"])
            #expect(conflicts.stdout.contains("forbidden") && conflicts.stdout.contains("delete"), "\(conflicts)")
            // Rolled back: the customer is there again.
            #expect(try await cli.on("rep", ["customers", "show", id]).status == 0)

            #expect(try await cli.login(server, "martin", device: "manager").status == 0)
            #expect(try await cli.on("manager", ["sync"]).status == 0)
            #expect(try await cli.on("manager", ["delete", id, "--yes"]).status == 0)
            let deleted = try await cli.on("manager", ["sync", "--json"])
            #expect(try Self.object(deleted)["rejections"] as? Int == 0, "\(deleted)")
            let missing = try await cli.on("manager", ["customers", "show", id])
            #expect(missing.status == 1 && missing.stderr.contains("there is no customer"), "\(missing)")
            #expect(try await cli.on("rep", ["sync"]).status == 0)
            #expect(try await cli.on("rep", ["customers", "show", id]).status == 1)
        }
    }

    @Test("bad input: wrong password, unknown path, malformed --set, missing session, unknown id")
    func badInput() async throws {
        try await withClientServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana")
            let wrong = try await cli.login(server, "ana", device: "phone", password: "not it")
            #expect(wrong.status == 1 && wrong.stderr.hasPrefix("error: "), "\(wrong)")
            let noPassword = try await cli.run([
                "login", "--server", server.baseURL, "--login-name", "ana", "--dir", cli.device("phone"),
            ])
            #expect(noPassword.status == 2 && noPassword.stderr.contains("--password-stdin"), "\(noPassword)")
            let fromEnvironment = try await cli.run(
                ["login", "--server", server.baseURL, "--login-name", "ana", "--dir", cli.device("phone")],
                environment: ["RAPPORT_PASSWORD": "correct horse battery"])
            #expect(fromEnvironment.status == 0, "\(fromEnvironment)")

            let unknown = try await cli.on("phone", ["edit", "abcd1234", "--set", "nmae=x"])
            #expect(unknown.status == 2 && unknown.stderr.contains("did you mean 'name'"), "\(unknown)")
            let malformed = try await cli.on("phone", ["edit", "abcd1234", "--set", "name"])
            #expect(malformed.status == 2 && malformed.stderr.contains("path=value"), "\(malformed)")
            let noRecord = try await cli.on("phone", ["customers", "show", "abcd1234"])
            #expect(noRecord.status == 1 && noRecord.stderr.contains("there is no customer"), "\(noRecord)")
            let notAnId = try await cli.on("phone", ["customers", "show", "zz"])
            #expect(notAnId.status == 2, "\(notAnId)")
            let noSession = try await cli.on("elsewhere", ["customers", "list"])
            #expect(noSession.status == 1, "\(noSession)")
            #expect(
                noSession.stderr.contains(
                    "no one is signed in in \(cli.device("elsewhere")); run rapport-client login"), "\(noSession)")
            let environmentDir = try await cli.run(
                ["status", "--json"], environment: ["RAPPORT_CLIENT_DIR": cli.device("phone")])
            #expect(try Self.object(environmentDir)["signedIn"] as? String == "Ana Lima")
        }
    }

    @Test("server down: login and sync fail with exit 1 and say what to do; offline commands still work")
    func serverDown() async throws {
        let server = try await LiveServer.start(label: "rapport-client-down")
        let cli = try ClientCLI()
        defer { cli.remove() }
        do {
            try await server.addStaff("Ana Lima", login: "ana")
            #expect(try await cli.login(server, "ana", device: "phone").status == 0)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
        #expect(try await cli.on("phone", ["create", "--name", "Offline Customer"]).status == 0)
        let sync = try await cli.on("phone", ["sync"])
        #expect(sync.status == 1, "\(sync)")
        #expect(sync.stderr.contains("sync again") || sync.stderr.contains("reach"), "\(sync)")
        let status = try Self.object(try await cli.on("phone", ["status", "--json"]))
        #expect(status["pendingEdits"] as? Int == 1)
        let login = try await cli.login(server, "ana", device: "other")
        #expect(login.status == 1 && login.stderr.contains("cannot reach"), "\(login)")
    }

    @Test("a revoked device is wiped on sync: the server's message, exit 1, and the folder no longer opens")
    func wipe() async throws {
        try await withClientServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana")
            let login = try Self.object(
                try await cli.run(
                    [
                        "login", "--server", server.baseURL, "--login-name", "ana", "--password-stdin", "--dir",
                        cli.device("phone"), "--json",
                    ],
                    stdin: "correct horse battery\n"))
            let deviceId = try #require((login["deviceId"] as? String).flatMap(UUID.init(uuidString:)))
            #expect(try await cli.on("phone", ["create", "--name", "Kept Secret"]).status == 0)
            #expect(try await cli.on("phone", ["sync"]).status == 0)
            try await server.services.identity.revokeDevice(id: deviceId)
            let sync = try await cli.on("phone", ["sync"])
            #expect(sync.status == 1, "\(sync)")
            #expect(sync.stderr.contains("wiped"), "\(sync)")
            let after = try await cli.on("phone", ["customers", "list"])
            #expect(after.status == 1 && after.stderr.contains("no one is signed in"), "\(after)")
        }
    }

    @Test("simulate: twenty devices of two reps edit offline and converge")
    func simulate() async throws {
        try await withClientServer { server, cli in
            let team = Team(id: UUID(), name: "North")
            try await server.addStaff("Ana Lima", login: "ana", team: team)
            try await server.addStaff("Tomas Ruiz", login: "tomas", team: team)
            let outcome = try await cli.run([
                "simulate", "--server", server.baseURL, "--devices", "20", "--duration", "3", "--seed", "7",
                "--login", "ana:correct horse battery", "--login", "tomas:correct horse battery", "--dir-root",
                cli.device("sim"),
            ])
            #expect(outcome.status == 0, "\(outcome)")
            #expect(outcome.stdout.contains("converged:    yes"), "\(outcome)")
            #expect(outcome.stdout.contains("mutations/s"))
            let left = (try? FileManager.default.contentsOfDirectory(atPath: cli.device("sim"))) ?? []
            #expect(left.isEmpty, "device folders are removed: \(left)")
        }
    }
}
