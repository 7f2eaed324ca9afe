import Foundation
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The built `rapport-admin` against a real server's admin API: tables, JSON, effects, bad
/// input. A test whose endpoint the server does not offer yet is cancelled with the reason.
@Suite("rapport-admin admin commands (process)")
struct AdminAPIProcessTests {
    @Test func teamsStaffAndDevices() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)

            let north = try await cli.run(["team", "add", "Sales North"]).requireEndpoint("POST /v1/admin/teams")
            #expect(north.status == 0, "\(north)")
            #expect(north.stdout.hasPrefix("ID"))
            let east = try await cli.run(["team", "add", "Sales East", "--parent", "Sales North", "--json"])
            let eastJSON = try #require(east.json as? [String: Any], "\(east)")
            #expect(eastJSON["name"] as? String == "Sales East")
            let moved = try await cli.run(["team", "move", "Sales East", "--root"])
            #expect(moved.status == 0 && moved.stdout.contains("to the top level"), "\(moved)")
            let noTeam = try await cli.run(["team", "move", "Nowhere", "--root"])
            #expect(noTeam.status == 1 && noTeam.stderr.contains("unknown team 'Nowhere'"), "\(noTeam)")

            let add = try await cli.run(
                ["staff", "add", "Ana Lima", "--team", "Sales North", "--role", "salesRep", "--login-name", "ana.rep",
                 "--password-stdin"], stdin: "correct horse battery\n"
            ).requireEndpoint("POST /v1/admin/staff")
            #expect(add.status == 0, "\(add)")
            let list = try await cli.run(["staff", "list"])
            #expect(list.status == 0, "\(list)")
            let lines = list.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("ID") == true)
            #expect(lines.first?.contains("NAME") == true && lines.first?.contains("STATUS") == true)
            let ana = try #require(lines.first { $0.contains("Ana Lima") })
            #expect(ana.contains("Sales North") && ana.contains("salesRep") && ana.contains("active"))
            // Columns line up: every row's STATUS starts where the header's does.
            let statusColumn = lines[0].range(of: "STATUS")!.lowerBound.utf16Offset(in: lines[0])
            #expect(ana.utf16.count > statusColumn)

            let json = try await cli.run(["staff", "list", "--json", "--status", "active"])
            let items = try #require((json.json as? [String: Any])?["items"] as? [[String: Any]], "\(json)")
            #expect(items.contains { $0["name"] as? String == "Ana Lima" })

            let unknown = try await cli.run(["staff", "show", "nobody"])
            #expect(unknown.status == 1)
            #expect(unknown.stderr.contains("unknown member of staff 'nobody'; run `rapport-admin staff list`"))

            let phone = try await server.signIn("ana.rep")
            let show = try await cli.run(["staff", "show", "Ana Lima"])
            #expect(show.status == 0 && show.stdout.contains("ana.rep's phone"), "\(show)")

            let notice = try await cli.run(["staff", "notice", "Ana Lima"])
            #expect(notice.status == 0 && notice.stdout.contains("status is now notice"), "\(notice)")
            #expect(try await server.services.storage.staff(id: phone.staff.id)?.status == .notice)
            let reinstate = try await cli.run(["staff", "reinstate", "Ana Lima"])
            #expect(reinstate.status == 0, "\(reinstate)")
            let unlock = try await cli.run(["staff", "unlock", "Ana Lima"])
            #expect(unlock.status == 0 && unlock.stdout.contains("can sign in again"), "\(unlock)")

            let devices = try await cli.run(["device", "list", "--staff", "Ana Lima"]).requireEndpoint("GET /v1/admin/devices")
            #expect(devices.status == 0 && devices.stdout.contains(phone.deviceId.uuidString), "\(devices)")
            let refused = try await cli.run(["device", "revoke", phone.deviceId.uuidString])
            #expect(refused.status == 2 && refused.stderr.contains("--yes"))
            #expect(try await server.services.storage.device(id: phone.deviceId)?.device.status == .active)
            let revoke = try await cli.run(["device", "revoke", phone.deviceId.uuidString, "--yes"])
            #expect(revoke.status == 0, "\(revoke)")
            #expect(try await server.services.storage.device(id: phone.deviceId)?.device.status == .revoked)
        }
    }

    /// Docs/Admin.md's worked example: a salesperson resigns.
    @Test func offboardingASalesperson() async throws {
        try await withAdminServer { server, cli in
            let ana = try await server.addStaff("Ana Lima", login: "ana.rep")
            try await server.addStaff("Martin Keller", login: "martin.manager", roles: [.manager])
            let phone = try await server.signIn("ana.rep")
            let tablet = try await server.signIn("ana.rep", platform: "android")
            #expect(try await cli.login(server).status == 0)

            let unconfirmed = try await cli.run(["staff", "offboard", "Ana Lima", "--reassign-to", "Martin Keller"])
                .requireEndpoint("POST /v1/admin/staff/{id}/offboard")
            #expect(unconfirmed.status == 2, "\(unconfirmed)")
            #expect(try await server.services.storage.staff(id: ana.id)?.status == .active)

            let offboard = try await cli.run(["staff", "offboard", "Ana Lima", "--reassign-to", "Martin Keller", "--days", "30", "--yes"])
                .requireEndpoint("POST /v1/admin/staff/{id}/offboard")
            #expect(offboard.status == 0, "\(offboard)")
            #expect(offboard.stdout.contains("Offboarded Ana Lima; status is now departed."))
            #expect(offboard.stdout.contains("Devices revoked (each told to wipe on its next request): 2"))
            #expect(offboard.stdout.contains(phone.deviceId.uuidString) && offboard.stdout.contains(tablet.deviceId.uuidString))
            #expect(try await server.services.storage.staff(id: ana.id)?.status == .departed)
            for device in try await server.services.storage.devices(staffId: ana.id) {
                #expect(device.device.status == .revoked)
            }
            let again = try await cli.run(["staff", "offboard", "Ana Lima", "--reassign-to", "Martin Keller", "--yes"])
            #expect(again.status == 1 && again.stderr.contains("already offboarded"), "\(again)")

            let devices = try await cli.run(["device", "list", "--staff", "Ana Lima", "--json"])
            let items = try #require((devices.json as? [String: Any])?["items"] as? [[String: Any]], "\(devices)")
            #expect(items.count == 2 && items.allSatisfy { $0["status"] as? String == "revoked" })
            let audit = try await cli.run(["audit", "search", "--staff", "Ana Lima", "--action", "statusChanged", "--json"])
            let entries = try #require(audit.json as? [[String: Any]], "\(audit)")
            #expect(entries.contains { ($0["reason"] as? String)?.contains("departed") == true })
        }
    }

    @Test func roles() async throws {
        try await withAdminServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana.rep")
            #expect(try await cli.login(server).status == 0)
            let list = try await cli.run(["role", "list"]).requireEndpoint("GET /v1/admin/roles")
            #expect(list.status == 0, "\(list)")
            #expect(list.stdout.split(separator: "\n").first?.hasPrefix("ID") == true)
            #expect(list.stdout.contains("salesRep") && list.stdout.contains("organisation"))
            let show = try await cli.run(["role", "show", "manager"])
            #expect(show.status == 0 && show.stdout.contains("Scope:") && show.stdout.contains("team"), "\(show)")
            let missing = try await cli.run(["role", "show", "wizard"])
            #expect(missing.status == 1 && missing.stderr.contains("no role is named 'wizard'"), "\(missing)")
            let create = try await cli.run([
                "role", "create", "--id", "analyst", "--name", "Analyst", "--based-on", "auditor", "--scope", "team",
            ])
            #expect(create.status == 0, "\(create)")
            let assign = try await cli.run(["role", "assign", "Ana Lima", "--add", "analyst"])
            #expect(assign.status == 2 && assign.stderr.contains("--yes"))
            let confirmed = try await cli.run(["role", "assign", "Ana Lima", "--add", "analyst", "--yes"])
            #expect(confirmed.status == 0 && confirmed.stdout.contains("analyst"), "\(confirmed)")
        }
    }

    @Test func heldChangesAreListedAndApprovedByAnotherAdministrator() async throws {
        try await withAdminServer { server, cli in
            let ana = try await server.addStaff("Ana Lima", login: "ana.rep")
            try await server.addStaff("Second Admin", login: "second", roles: [.admin])
            #expect(try await cli.login(server).status == 0)
            let create = try await cli.run(["role", "create", "--id", "lead", "--name", "Lead", "--based-on", "admin", "--scope", "team"])
            #expect(create.status == 0, "\(create)")
            let assign = try await cli.run(["role", "assign", "Ana Lima", "--add", "lead", "--yes"])
            #expect(assign.status == 0 && assign.stdout.contains("Held for a second administrator"), "\(assign)")
            let list = try await cli.run(["change", "list", "--json"]).requireEndpoint("GET /v1/admin/changes")
            let items = try #require((list.json as? [String: Any])?["items"] as? [[String: Any]], "\(list)")
            let id = try #require(items.first?["id"] as? String)
            let own = try await cli.run(["change", "approve", id, "--yes"])
            #expect(own.status == 1 && own.stderr.contains("second administrator"), "\(own)")
            #expect(try await server.services.storage.staff(id: ana.id)?.roles == [.salesRep])
            let second = try AdminCLI()
            defer { second.remove() }
            #expect(try await second.login(server, login: "second", password: "correct horse battery").status == 0)
            let approved = try await second.run(["change", "approve", id, "--yes"])
            #expect(approved.status == 0 && approved.stdout.contains("Approved"), "\(approved)")
            #expect(try await server.services.storage.staff(id: ana.id)?.roles == [.salesRep, "lead"])
        }
    }

    @Test func auditTailSearchVerifyExport() async throws {
        try await withAdminServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana.rep")
            try await server.signIn("ana.rep")
            #expect(try await cli.login(server).status == 0)

            let tail = try await cli.run(["audit", "tail", "-n", "5"]).requireEndpoint("GET /v1/admin/audit")
            #expect(tail.status == 0, "\(tail)")
            #expect(tail.stdout.hasPrefix("SEQ"))
            #expect(tail.stdout.contains("login"))
            let search = try await cli.run(["audit", "search", "--action", "login", "--since", "1d", "--json"])
            let entries = try #require(search.json as? [[String: Any]], "\(search)")
            #expect(!entries.isEmpty && entries.allSatisfy { $0["action"] as? String == "login" })

            let verify = try await cli.run(["audit", "verify"]).requireEndpoint("POST /v1/admin/audit/verify")
            #expect(verify.status == 0 && verify.stdout.contains("intact"), "\(verify)")

            let output = cli.home.path("audit.jsonl")
            let export = try await cli.run(["audit", "export", "--action", "login", "--file", output])
                .requireEndpoint("GET /v1/admin/audit/export")
            #expect(export.status == 0, "\(export)")
            let text = try String(contentsOfFile: output, encoding: .utf8)
            let exported = text.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(exported.count == text.split(separator: "\n").count && !exported.isEmpty)
            #expect(exported.allSatisfy { $0["action"] as? String == "login" })
            let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }
    }

    @Test func grants() async throws {
        try await withAdminServer { server, cli in
            try await server.addStaff("Bo Chen", login: "bo.rep")
            #expect(try await cli.login(server).status == 0)
            let customer = UUID().uuidString
            let add = try await cli.run([
                "grant", "add", "Bo Chen", "--customer", customer, "--for", "7d", "--reason", "holiday cover", "--json",
            ]).requireEndpoint("POST /v1/admin/grants")
            #expect(add.status == 0, "\(add)")
            let grant = try #require(add.json as? [String: Any])
            let id = try #require(grant["id"] as? String)
            let list = try await cli.run(["grant", "list", "--staff", "Bo Chen"])
            #expect(list.status == 0 && list.stdout.contains(id) && list.stdout.contains("holiday cover"), "\(list)")
            let revoke = try await cli.run(["grant", "revoke", id, "--yes"])
            #expect(revoke.status == 0, "\(revoke)")
            let tooLong = try await cli.run(["grant", "add", "Bo Chen", "--customer", customer, "--for", "45d", "--reason", "cover for a long absence"])
            #expect(tooLong.status == 1 && tooLong.stderr.contains("at most"), "\(tooLong)")
        }
    }

    @Test func alerts() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            let list = try await cli.run(["alert", "list", "--json"]).requireEndpoint("GET /v1/admin/alerts")
            #expect(list.status == 0, "\(list)")
            #expect(((list.json as? [String: Any])?["items"] as? [Any])?.isEmpty == true)
            let table = try await cli.run(["alert", "list", "--status", "open"])
            #expect(table.status == 0 && table.stderr.contains("(none)"), "\(table)")
            let id = UUID().uuidString
            let show = try await cli.run(["alert", "show", id])
            #expect(show.status == 1 && show.stderr.contains("no alert has id"), "\(show)")
            let resolve = try await cli.run(["alert", "resolve", id, "--note", "false positive"])
            #expect(resolve.status == 1, "\(resolve)")
            let status = try await cli.run(["status", "--json"])
            #expect(((status.json as? [String: Any])?["activeAlerts"] as? [Any])?.isEmpty == true, "\(status)")
        }
    }

    @Test func canaries() async throws {
        try await withAdminServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana.rep")
            #expect(try await cli.login(server).status == 0)
            let plant = try await cli.run(["canary", "plant", "Ana Lima", "--json"]).requireEndpoint("POST /v1/admin/canaries")
            #expect(plant.status == 0, "\(plant)")
            let planted = try await cli.run(["canary", "plant", "Ana Lima"])
            #expect(planted.status == 0 && planted.stdout.hasPrefix("STAFF"), "\(planted)")
            #expect(planted.stdout.split(separator: "\n").count > 1, "plant lists the canaries: \(planted)")
            let list = try await cli.run(["canary", "list", "--staff", "Ana Lima"])
            #expect(list.status == 0 && list.stdout.hasPrefix("STAFF"), "\(list)")
            let none = try await cli.run(["canary", "trace", "+86 100 0000 0000"])
            #expect(none.status == 1 && none.stderr.contains("matches no canary"), "\(none)")
        }
    }

    @Test func customerReassignAndInsights() async throws {
        try await withAdminServer { server, cli in
            try await server.addStaff("Ana Lima", login: "ana.rep")
            #expect(try await cli.login(server).status == 0)
            let reassign = try await cli.run(["customer", "reassign", UUID().uuidString, "--to", "Ana Lima"])
                .requireEndpoint("POST /v1/admin/customers/{id}/reassign")
            #expect(reassign.status == 1, "\(reassign)")
            let tiers = try await cli.run(["insights", "tiers"]).requireEndpoint("GET /v1/admin/insights/tiers")
            #expect(tiers.status == 0 && (tiers.stdout.contains("TIER") || tiers.stderr.hasPrefix("(none)")), "\(tiers)")
            #expect(!tiers.stdout.contains("\n  "), "no blank rows: \(tiers)")
            for kind in ["rfm", "warnings"] {
                let outcome = try await cli.run(["insights", kind, "--json"]).requireEndpoint("GET /v1/admin/insights/\(kind)")
                #expect(outcome.status == 0 && outcome.json != nil, "\(outcome)")
            }
        }
    }
}
