import Foundation
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// A lone administrator composes wide access out of parts that each look harmless. Every
/// composition must be held for a second administrator (202, pending), change nothing the
/// affected person receives over `/v1/sync/pull` until approved, and never be approved by the
/// requester or by the person it widens.
@Suite("Attack: widening by composition")
struct WideningAttackTests {
    /// The attack organisation with a root team `HQ` above North and South, a customer for Ana
    /// (North) and one for Carl (South), and both administrators signed in.
    struct Scene: Sendable {
        let org: AttackOrg
        let hq: Team
        let anaCustomer: (id: UUID, secrets: AttackOrg.Secrets)
        let carlCustomer: (id: UUID, secrets: AttackOrg.Secrets)
        let adminToken: String
        let secondToken: String

        static func start() async throws -> Scene {
            let org = try await AttackOrg.start()
            let hq = Team(id: UUID(), name: "HQ")
            let storage = org.server.services.storage
            try await storage.saveTeam(hq)
            try await storage.saveTeam(Team(id: org.north.id, name: org.north.name, parentId: hq.id))
            try await storage.saveTeam(Team(id: org.south.id, name: org.south.name, parentId: hq.id))
            let admin = org.server.admin
            return Scene(
                org: org, hq: hq, anaCustomer: try await org.customer(owner: org.ana, number: 1),
                carlCustomer: try await org.customer(owner: org.carl, number: 2),
                adminToken: try await org.server.login(admin.loginName, password: admin.password).tokens.accessToken,
                secondToken: try await org.server.login("second-admin").tokens.accessToken)
        }

        /// What `login` receives on a fresh device: which of the two customers, and which secret
        /// values in clear.
        func view(_ login: String) async throws -> Set<String> {
            let insider = try await org.device(login)
            let bytes = try await insider.pullAll().map(\.text).joined()
            var seen: Set<String> = []
            for customer in [anaCustomer, carlCustomer] {
                if bytes.contains(customer.id.uuidString) || bytes.contains(customer.id.uuidString.lowercased()) {
                    seen.insert("customer \(customer.id)")
                }
                for secret in customer.secrets.all where bytes.contains(secret) { seen.insert(secret) }
            }
            return seen
        }

        func call(_ method: HTTPMethod, _ path: String, _ body: Data? = nil, token: String? = nil) async throws
            -> LiveServer.Reply
        {
            try await org.server.send(method, path, body: body, token: token ?? adminToken)
        }

        func call(_ method: HTTPMethod, _ path: String, json: [String: Any], token: String? = nil) async throws
            -> LiveServer.Reply
        {
            try await call(method, path, try JSONSerialization.data(withJSONObject: json), token: token)
        }

        func stop() async throws { try await org.stop() }
    }

    /// Each part "not widening" on its own: team scope, sensitive and secret fields in clear,
    /// a quota nobody reaches.
    static func wholeOrganisationRole(_ id: RoleID, scope: RecordScope = [.own, .team]) -> Role {
        Role(
            id: id, name: "Regional lead",
            permissions: PermissionSet(
                otherEntities: .edit, ordinary: FieldClassPermission(read: .full, write: true),
                sensitive: FieldClassPermission(read: .full, write: true),
                secret: FieldClassPermission(read: .full, write: true)),
            scope: scope,
            quotas: QuotaLimits(
                distinctCustomersPerDay: 1_000_000, exportsPerDay: 0, sensitiveRevealsPerHour: 1_000_000))
    }

    /// Checks the 202 answer and returns the pending request's id.
    static func pendingId(_ reply: LiveServer.Reply, _ what: Comment) throws -> String {
        #expect(reply.status == 202, "\(what) was not held for a second administrator: \(reply.status) \(reply.text)")
        return try #require(reply.json["id"] as? String, "\(what): no pending request id in \(reply.text)")
    }

    @Test("a custom role of harmless-looking parts, then assigned, waits for a second administrator")
    func customRoleThenAssign() async throws {
        let scene = try await Scene.start()
        let before = try await scene.view("ana")
        let role = Self.wholeOrganisationRole("regionalLead")
        let created = try await scene.call(.POST, "/v1/admin/roles", try JSONEncoder().encode(role))
        #expect(created.status == 201, "creating a role nobody holds has no effect: \(created.text)")
        // Ana moves to the root team first: on its own a move of a rep changes little.
        let moved = try await scene.call(
            .PATCH, "/v1/admin/staff/\(scene.org.ana.id)", json: ["teamId": scene.hq.id.uuidString])
        #expect(moved.status == 200 || moved.status == 202, "\(moved.text)")
        let assign = try await scene.call(
            .POST, "/v1/admin/roles/assign", json: ["staffId": scene.org.ana.id.uuidString, "adding": ["regionalLead"]])
        let id = try Self.pendingId(assign, "assigning the composed role")
        #expect(try await scene.view("ana") == before, "the pending change already reached Ana's device")
        let own = try await scene.call(.POST, "/v1/admin/changes/\(id)/approve")
        #expect(own.status == 403, "the requester approved their own change: \(own.status)")
        let approved = try await scene.call(.POST, "/v1/admin/changes/\(id)/approve", token: scene.secondToken)
        #expect(approved.status == 200, "\(approved.text)")
        let after = try await scene.view("ana")
        #expect(after.contains(scene.anaCustomer.secrets.phone), "approval did not apply the change")
        try await scene.stop()
    }

    @Test("creating a person with the composed role waits for a second administrator")
    func createStaffWithRole() async throws {
        let scene = try await Scene.start()
        let role = Self.wholeOrganisationRole("regionalLead")
        #expect(try await scene.call(.POST, "/v1/admin/roles", try JSONEncoder().encode(role)).status == 201)
        let created = try await scene.call(
            .POST, "/v1/admin/staff",
            json: [
                "name": "Dana Accomplice", "teamId": scene.hq.id.uuidString, "roles": ["regionalLead"],
                "loginName": "dana", "password": "correct horse battery",
            ])
        _ = try Self.pendingId(created, "creating a person with the composed role")
        #expect(try await scene.view("dana").isEmpty, "the new person received customers before approval")
        try await scene.stop()
    }

    @Test("widening a role that a rep already holds waits for a second administrator")
    func editHeldRole() async throws {
        let scene = try await Scene.start()
        var role = Role.salesRep
        role.id = "repPlus"
        role.name = "Sales rep plus"
        #expect(try await scene.call(.POST, "/v1/admin/roles", try JSONEncoder().encode(role)).status == 201)
        let assign = try await scene.call(
            .POST, "/v1/admin/roles/assign",
            json: ["staffId": scene.org.bob.id.uuidString, "adding": ["repPlus"], "removing": ["salesRep"]])
        #expect(assign.status == 200, "a role no wider than salesRep is an ordinary change: \(assign.text)")
        // Bob owns no customer: an organisation-wide role would show him both.
        let bobBefore = try await scene.view("bob")
        var wider = Self.wholeOrganisationRole("repPlus", scope: [.own, .organisation])
        wider.name = "Sales rep plus"
        let edit = try await scene.call(.PUT, "/v1/admin/roles/repPlus", try JSONEncoder().encode(wider))
        _ = try Self.pendingId(edit, "widening a held role")
        #expect(try await scene.view("bob") == bobBefore, "the pending role edit already reached Bob")
        #expect(try await scene.call(.GET, "/v1/admin/roles/repPlus").json["scope"] as? Int == 1)
        // A PUT on one role's path carrying another role's id neither renames nor replaces it.
        let salesRepBefore = try await scene.call(.GET, "/v1/admin/roles/salesRep").text
        var smuggled = Self.wholeOrganisationRole("salesRep", scope: [.own, .organisation])
        smuggled.name = "Sales rep"
        let clash = try await scene.call(.PUT, "/v1/admin/roles/repPlus", try JSONEncoder().encode(smuggled))
        #expect(clash.status == 409, "\(clash.text)")
        #expect(clash.errorMessage.contains("roles are not renamed"))
        #expect(try await scene.call(.GET, "/v1/admin/roles/salesRep").text == salesRepBefore)
        try await scene.stop()
    }

    @Test("moving a manager to the root team, or a team under a manager, waits for a second administrator")
    func teamMoves() async throws {
        let scene = try await Scene.start()
        let before = try await scene.view("mia")
        #expect(!before.contains("customer \(scene.carlCustomer.id)"))
        let moveMia = try await scene.call(
            .PATCH, "/v1/admin/staff/\(scene.org.mia.id)", json: ["teamId": scene.hq.id.uuidString])
        _ = try Self.pendingId(moveMia, "moving a manager to the root team")
        #expect(try await scene.view("mia") == before, "the pending move already widened Mia")
        let moveSouth = try await scene.call(
            .POST, "/v1/admin/teams/\(scene.org.south.id)/move", json: ["parentId": scene.org.north.id.uuidString])
        let id = try Self.pendingId(moveSouth, "moving South under Mia's team")
        #expect(try await scene.view("mia") == before, "the pending team move already widened Mia")
        let approved = try await scene.call(.POST, "/v1/admin/changes/\(id)/approve", token: scene.secondToken)
        #expect(approved.status == 200, "\(approved.text)")
        #expect(
            try await scene.view("mia").contains("customer \(scene.carlCustomer.id)"), "approval did not apply the move"
        )
        try await scene.stop()
    }

    @Test("a segment grant over another team waits for a second administrator")
    func segmentGrant() async throws {
        let scene = try await Scene.start()
        let before = try await scene.view("ana")
        let grant = try await scene.call(
            .POST, "/v1/admin/grants",
            json: [
                "granteeId": scene.org.ana.id.uuidString,
                "target": ["segment": ["teamId": scene.org.south.id.uuidString]],
                "permissions": ["read"], "reason": "covering the south region", "for": "7d",
            ])
        _ = try Self.pendingId(grant, "a segment grant over South")
        #expect(try await scene.view("ana") == before, "the pending grant already reached Ana")
        try await scene.stop()
    }

    @Test("turning off second approval is itself held, and changes nothing until approved")
    func settingsCannotDisableSecondApproval() async throws {
        let scene = try await Scene.start()
        let off = try await scene.call(.PATCH, "/v1/admin/settings", json: ["requireSecondApprovalForWidening": false])
        _ = try Self.pendingId(off, "turning off second approval")
        let settings = try await scene.call(.GET, "/v1/admin/settings")
        #expect(settings.json["requireSecondApprovalForWidening"] as? Bool == true, "\(settings.text)")
        let quotas = try await scene.call(
            .PATCH, "/v1/admin/settings",
            json: [
                "noticeQuotas": [
                    "distinctCustomersPerDay": 100_000, "exportsPerDay": 50, "sensitiveRevealsPerHour": 500,
                ]
            ])
        _ = try Self.pendingId(quotas, "raising notice-period quotas")
        let role = Self.wholeOrganisationRole("regionalLead")
        #expect(try await scene.call(.POST, "/v1/admin/roles", try JSONEncoder().encode(role)).status == 201)
        let assign = try await scene.call(
            .POST, "/v1/admin/roles/assign", json: ["staffId": scene.org.ana.id.uuidString, "adding": ["regionalLead"]])
        _ = try Self.pendingId(assign, "assigning after a pending settings change")
        try await scene.stop()
    }

    @Test("an administrator cannot approve a change that widens themselves")
    func noApprovalOfOwnWidening() async throws {
        let scene = try await Scene.start()
        let role = Self.wholeOrganisationRole("regionalLead")
        #expect(try await scene.call(.POST, "/v1/admin/roles", try JSONEncoder().encode(role)).status == 201)
        let assign = try await scene.call(
            .POST, "/v1/admin/roles/assign",
            json: ["staffId": scene.org.admin2.id.uuidString, "adding": ["regionalLead"]])
        let id = try Self.pendingId(assign, "giving the second administrator sensitive fields in clear")
        let selfApproval = try await scene.call(.POST, "/v1/admin/changes/\(id)/approve", token: scene.secondToken)
        #expect(
            selfApproval.status == 403, "the widened administrator approved their own widening: \(selfApproval.text)")
        #expect(try await scene.org.server.services.storage.staff(id: scene.org.admin2.id)?.roles == [.admin])
        try await scene.stop()
    }
}
