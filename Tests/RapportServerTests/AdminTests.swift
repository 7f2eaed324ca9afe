import Foundation
import NIOHTTP1
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

extension TestServer {
    /// Sends a JSON object (or nothing) and collects the reply.
    func call(_ method: HTTPMethod, _ path: String, _ object: [String: Any]? = nil, token: String) async throws -> Reply {
        try await send(
            method, path, body: try object.map { try JSONSerialization.data(withJSONObject: $0) }, token: token)
    }

    /// Signs in the bootstrap administrator.
    func adminToken() async throws -> String {
        try await login(admin.loginName, password: admin.password).tokens.accessToken
    }
}

extension TestServer.Reply {
    var items: [[String: Any]] { json["items"] as? [[String: Any]] ?? [] }
}

@Suite("Admin API: staff, teams, roles, grants, devices, offboarding, alerts, audit")
struct AdminTests {
    @Test func nonAdministratorsAreRefused() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana", roles: [.manager])
        let token = try await server.login("ana").tokens.accessToken
        for (method, path) in [(HTTPMethod.GET, "/v1/admin/staff"), (.GET, "/v1/admin/audit"), (.POST, "/v1/admin/teams")] {
            let reply = try await server.call(method, path, method == .POST ? ["name": "X"] : nil, token: token)
            #expect(reply.status == 403)
            #expect(reply.errorCode == "forbidden")
            #expect(reply.errorMessage.contains("administrators"))
        }
        let anonymous = try await server.send(.GET, "/v1/admin/staff")
        #expect(anonymous.status == 401)
        try await server.stop()
    }

    @Test func staffAndTeamsLifecycle() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let team = try await server.call(.POST, "/v1/admin/teams", ["name": "Sales East"], token: token)
        #expect(team.status == 201)
        let teamId = try #require(team.json["id"] as? String)
        let sub = try await server.call(.POST, "/v1/admin/teams", ["name": "East 1", "parentId": teamId], token: token)
        let subId = try #require(sub.json["id"] as? String)
        let cycle = try await server.call(.POST, "/v1/admin/teams/\(teamId)/move", ["parentId": subId], token: token)
        #expect(cycle.status == 409)  // a clash with the organisation as it is (Operations.md, Admin API)
        #expect(cycle.errorMessage.contains("parentId"))
        #expect(try await server.call(.POST, "/v1/admin/teams/\(subId)/move", [:], token: token).status == 200)
        #expect(try await server.call(.GET, "/v1/admin/teams", token: token).items.count == 3)

        let missingName = try await server.call(
            .POST, "/v1/admin/staff", ["name": "", "teamId": teamId, "roles": ["salesRep"], "loginName": "li", "password": "long enough 1"],
            token: token)
        #expect(missingName.status == 400)
        #expect(missingName.errorMessage.contains("'name'"))
        let created = try await server.call(
            .POST, "/v1/admin/staff",
            ["name": "Li Wei", "teamId": teamId, "roles": ["salesRep"], "loginName": "li", "password": "long enough 1"],
            token: token)
        #expect(created.status == 201)
        let id = try #require(created.json["id"] as? String)
        _ = try await server.login("li", password: "long enough 1")

        #expect(try await server.call(.GET, "/v1/admin/staff", token: token).items.count == 2)
        let shown = try await server.call(.GET, "/v1/admin/staff/\(id)", token: token)
        #expect((shown.json["devices"] as? [Any])?.count == 1)
        let renamed = try await server.call(.PATCH, "/v1/admin/staff/\(id)", ["name": "Li W."], token: token)
        #expect(renamed.json["name"] as? String == "Li W.")

        for (command, status) in [("notice", "notice"), ("suspend", "suspended"), ("reinstate", "active")] {
            let reply = try await server.call(.POST, "/v1/admin/staff/\(id)/\(command)", token: token)
            #expect(reply.status == 200)
            #expect(reply.json["status"] as? String == status)
        }
        #expect(try await server.call(.GET, "/v1/admin/staff/\(UUID())", token: token).status == 404)
        let badId = try await server.call(.GET, "/v1/admin/staff/not-a-uuid", token: token)
        #expect(badId.status == 400)
        #expect(badId.errorMessage.contains("'id'"))
        let me = try await server.login(server.admin.loginName, password: server.admin.password).staff.id
        #expect(try await server.call(.POST, "/v1/admin/staff/\(me)/suspend", token: token).status == 403)

        let changes = try await server.services.audit.query(AuditQuery(staffId: me, limit: 100)).entries.map(\.action)
        for action in ["teamCreated", "teamMoved", "staffCreated", "staffUpdated", "statusChanged"] {
            #expect(changes.contains(action), "no audit entry for \(action)")
        }
        try await server.stop()
    }

    @Test func grantsNeedExpiryReasonAndNoSelfGrant() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let me = try await server.login(server.admin.loginName, password: server.admin.password).staff.id
        let ana = try await server.addStaff(login: "ana")
        let second = try await server.addStaff(login: "second", roles: [.admin])
        let customer = UUID()
        func grant(_ fields: [String: Any]) async throws -> TestServer.Reply {
            var body: [String: Any] = ["granteeId": ana.id.uuidString, "target": ["customer": customer.uuidString], "reason": "covering for Bo"]
            body.merge(fields) { _, new in new }
            return try await server.call(.POST, "/v1/admin/grants", body, token: token)
        }
        let noExpiry = try await grant([:])
        #expect(noExpiry.status == 400)
        #expect(noExpiry.errorMessage.contains("'for'"))
        let tooLong = try await grant(["for": "31d"])
        #expect(tooLong.status == 409)  // beyond the settings' maximum: a clash, not a malformed request
        let noReason = try await grant(["for": "7d", "reason": " "])
        #expect(noReason.status == 400)
        #expect(noReason.errorMessage.contains("'reason'"))
        let selfGrant = try await grant(["for": "7d", "granteeId": me.uuidString])
        #expect(selfGrant.status == 403)
        #expect(selfGrant.errorMessage.contains("themselves"))
        let unknown = try await grant(["for": "7d", "granteeId": UUID().uuidString])
        #expect(unknown.status == 404)

        let plain = try await grant(["for": "2d"])
        #expect(plain.status == 201)
        #expect(plain.json["effective"] as? Bool == true)
        let widening = try await grant(["until": "2099-01-01T00:00:00Z", "permissions": ["read", "export"]])
        #expect(widening.status == 409)  // more than 30 days
        let export = try await grant(["for": "1d", "permissions": ["read", "export"]])
        #expect(export.json["approval"] as? String == "pending")
        let exportId = try #require(export.json["id"] as? String)
        let ownApproval = try await server.call(.POST, "/v1/admin/grants/\(exportId)/approve", token: token)
        #expect(ownApproval.status == 403)
        let secondToken = try await server.login("second").tokens.accessToken
        let approved = try await server.call(.POST, "/v1/admin/grants/\(exportId)/approve", token: secondToken)
        #expect(approved.json["approval"] as? String == "approved")
        #expect(approved.json["approvedBy"] as? String == second.id.uuidString)

        let listed = try await server.call(.GET, "/v1/admin/grants?staff=\(ana.id.uuidString)", token: token)
        #expect(listed.items.count == 2)
        let plainId = try #require(plain.json["id"] as? String)
        let revoked = try await server.call(.POST, "/v1/admin/grants/\(plainId)/revoke", token: token)
        #expect(revoked.json["effective"] as? Bool == false)
        #expect(try await server.call(.POST, "/v1/admin/grants/\(UUID())/revoke", token: token).status == 404)
        let actions = try await server.services.audit.query(AuditQuery(recordId: ana.id)).entries.map(\.action)
        #expect(actions.filter { $0 == "grantIssued" }.count == 2)
        #expect(actions.contains("grantApproved") && actions.contains("grantRevoked"))
        try await server.stop()
    }

    @Test func rolesWideningWaitsForASecondAdministrator() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let me = try await server.login(server.admin.loginName, password: server.admin.password).staff.id
        let ana = try await server.addStaff(login: "ana")
        try await server.addStaff(login: "second", roles: [.admin])
        #expect(try await server.call(.GET, "/v1/admin/roles", token: token).items.count == 5)
        #expect(try await server.call(.GET, "/v1/admin/roles/salesRep", token: token).status == 200)
        #expect(try await server.call(.GET, "/v1/admin/roles/nothing", token: token).status == 404)

        let selfAdd = try await server.call(
            .POST, "/v1/admin/roles/assign", ["staffId": me.uuidString, "adding": ["auditor"]], token: token)
        #expect(selfAdd.status == 403)
        let ordinary = try await server.call(
            .POST, "/v1/admin/roles/assign", ["staffId": ana.id.uuidString, "adding": ["manager"]], token: token)
        #expect(ordinary.status == 200)
        #expect(ordinary.json["roles"] as? [String] == ["manager", "salesRep"])
        let widening = try await server.call(
            .POST, "/v1/admin/roles/assign", ["staffId": ana.id.uuidString, "adding": ["admin"]], token: token)
        #expect(widening.status == 202)
        let requestId = try #require(widening.json["id"] as? String)
        #expect(try await server.services.storage.staff(id: ana.id)?.isAdmin == false)
        #expect(try await server.call(.POST, "/v1/admin/roles/requests/\(requestId)/approve", token: token).status == 403)
        let secondToken = try await server.login("second").tokens.accessToken
        let approved = try await server.call(.POST, "/v1/admin/roles/requests/\(requestId)/approve", token: secondToken)
        #expect(approved.status == 200)
        #expect(try await server.services.storage.staff(id: ana.id)?.isAdmin == true)

        let role: [String: Any] = [
            "id": "analyst", "name": "Analyst", "scope": 2,
            "quotas": ["distinctCustomersPerDay": 100, "exportsPerDay": 0, "sensitiveRevealsPerHour": 0],
            "permissions": [
                "entities": [Any](), "otherEntities": 1,  // [kind, actions, …]: EntityKind keys encode as a flat array
                "ordinary": ["read": 3, "write": false], "sensitive": ["read": 0, "write": false],
                "secret": ["read": 0, "write": false],
            ],
        ]
        let created = try await server.call(.POST, "/v1/admin/roles", role, token: token)
        #expect(created.status == 201, "\(created.text)")
        #expect(try await server.call(.POST, "/v1/admin/roles", role, token: token).status == 409)
        try await server.stop()
    }

    @Test func offboardingRevokesDevicesAndReportsAccess() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let ana = try await server.addStaff(login: "ana")
        let bo = try await server.addStaff(login: "bo")
        let phone = try await server.login("ana")
        let tablet = try await server.login("ana")
        #expect(try await server.send(.POST, "/v1/auth/lease", token: phone.tokens.accessToken).status == 200)

        let missingTarget = try await server.call(.POST, "/v1/admin/staff/\(ana.id)/offboard", [:], token: token)
        #expect(missingTarget.status == 400)
        #expect(missingTarget.errorMessage.contains("reassignTo"))
        let reply = try await server.call(
            .POST, "/v1/admin/staff/\(ana.id)/offboard", ["reassignTo": bo.id.uuidString, "reportDays": 30],
            token: token)
        #expect(reply.status == 200, "\(reply.text)")
        #expect((reply.json["devicesRevoked"] as? [String])?.count == 2)
        #expect((reply.json["staff"] as? [String: Any])?["status"] as? String == "departed")
        let access = try #require(reply.json["access"] as? [String: Any])
        #expect((access["actions"] as? [String: Int])?["login"] == 2)

        for token in [phone.tokens.accessToken, tablet.tokens.accessToken] {
            let next = try await server.send(.POST, "/v1/auth/lease", token: token)
            #expect(next.status == 403)
            #expect(next.errorCode == "wipeRequired")
            #expect(next.json["wipe"] != nil)
        }
        let again = try await server.call(
            .POST, "/v1/admin/staff/\(ana.id)/offboard", ["reassignTo": bo.id.uuidString], token: token)
        #expect(again.status == 409)
        let audited = try await server.services.audit.query(AuditQuery(recordId: ana.id)).entries.map(\.action)
        #expect(audited.contains("offboarded") && audited.filter { $0 == "deviceRevoked" }.count == 2)
        try await server.stop()
    }

    @Test func devicesListRevokeAndWipe() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let ana = try await server.addStaff(login: "ana")
        let phone = try await server.login("ana")
        let listed = try await server.call(.GET, "/v1/admin/devices?staff=\(ana.id)", token: token)
        #expect(listed.items.count == 1)
        #expect(listed.items.first?["leaseKey"] == nil)
        let wiped = try await server.call(.POST, "/v1/admin/devices/\(phone.deviceId)/wipe", token: token)
        #expect(wiped.json["status"] as? String == "revoked")
        #expect(try await server.send(.POST, "/v1/auth/lease", token: phone.tokens.accessToken).errorCode == "wipeRequired")
        #expect(try await server.call(.POST, "/v1/admin/devices/\(UUID())/revoke", token: token).status == 404)
        try await server.stop()
    }

    @Test func passwordResetsCannotTakeOverAnotherAdministrator() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let second = try await server.addStaff(login: "second", roles: [.admin])
        let takeover = try await server.call(
            .PATCH, "/v1/admin/staff/\(second.id)", ["loginName": "second", "password": "attacker chosen 1"],
            token: token)
        #expect(takeover.status == 403)
        #expect(try await server.login("second").tokens.accessToken.isEmpty == false)

        let ana = try await server.addStaff(login: "ana")
        let phone = try await server.login("ana")
        let reset = try await server.call(
            .PATCH, "/v1/admin/staff/\(ana.id)", ["loginName": "ana", "password": "a new secret 1"], token: token)
        #expect(reset.status == 200)
        // The old session dies with the old password.
        #expect(try await server.send(.POST, "/v1/auth/lease", token: phone.tokens.accessToken).status == 401)
        #expect(try await server.login("ana", password: "a new secret 1").tokens.accessToken.isEmpty == false)
        try await server.stop()
    }

    @Test func alertsAreListedAcknowledgedAndResolved() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        let ana = try await server.addStaff(login: "ana")
        let book = AlertBook(services: server.services)
        let alert = AccessAlert(staffId: ana.id, rule: .volumeSpike, severity: .high, day: 20_000, observed: 400, threshold: 60, baseline: 20)
        #expect(try await book.raise([alert, alert], now: Date()).count == 1)
        #expect(try await book.raise([alert], now: Date()).isEmpty)
        let open = try await server.call(.GET, "/v1/admin/alerts?status=open", token: token)
        #expect(open.items.count == 1)
        let id = try #require(open.items.first?["id"] as? String)
        #expect(try await server.call(.GET, "/v1/admin/alerts/\(id)", token: token).status == 200)
        #expect(try await server.call(.GET, "/v1/admin/alerts/\(UUID())", token: token).status == 404)
        #expect(try await server.call(.GET, "/v1/admin/alerts?status=weird", token: token).status == 400)
        // An alert about an administrator is not theirs to close.
        let me = try await server.login(server.admin.loginName, password: server.admin.password).staff.id
        let mine = AccessAlert(staffId: me, rule: .volumeSpike, severity: .high, day: 20_000, observed: 400, threshold: 60, baseline: 20)
        let raised = try await book.raise([mine], now: Date())
        let mineId = try #require(raised.first?.id)
        #expect(try await server.call(.POST, "/v1/admin/alerts/\(mineId)/ack", token: token).status == 403)
        #expect(try await server.call(.POST, "/v1/admin/alerts/\(mineId)/resolve", ["note": "fine"], token: token).status == 403)
        #expect(try await server.call(.POST, "/v1/admin/alerts/\(id)/ack", token: token).json["status"] as? String == "acknowledged")
        let noNote = try await server.call(.POST, "/v1/admin/alerts/\(id)/resolve", [:], token: token)
        #expect(noNote.status == 400)
        let resolved = try await server.call(.POST, "/v1/admin/alerts/\(id)/resolve", ["note": "stocktake, expected"], token: token)
        #expect(resolved.json["status"] as? String == "resolved")
        let actions = try await server.services.audit.query(AuditQuery(recordId: ana.id)).entries.map(\.action)
        #expect(actions.contains("alertRaised") && actions.contains("alertAcknowledged") && actions.contains("alertResolved"))
        try await server.stop()
    }

    @Test func auditEndpointsQueryVerifyAndExport() async throws {
        let server = try await TestServer.start()
        let token = try await server.adminToken()
        try await server.addStaff(login: "ana")
        _ = try await server.login("ana")
        let logins = try await server.call(.GET, "/v1/admin/audit?action=login&limit=1", token: token)
        #expect((logins.json["entries"] as? [Any])?.count == 1)
        #expect(logins.json["nextCursor"] is String)
        #expect(try await server.call(.GET, "/v1/admin/audit?from=yesterday", token: token).status == 400)
        let verify = try await server.call(.POST, "/v1/admin/audit/verify", token: token)
        #expect(verify.json["intact"] as? Bool == true)
        let export = try await server.call(.GET, "/v1/admin/audit/export", token: token)
        #expect(export.status == 200)
        #expect(export.headers.first(name: "Content-Type")?.hasPrefix("application/x-ndjson") == true)
        let lines = export.text.split(separator: "\n")
        #expect(lines.count >= 4)  // two logins, the verification, the export itself
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object?["hash"] is String)
        }
        try await server.stop()
    }
}
