import Foundation
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// A departing administrator's shortest route to the customer base is an export. Every export
/// is held for a second administrator; the approval opens a short window in which the requester
/// alone downloads it, once; the download counts against the requester's quotas; and the audit
/// log shows request, approval and download with their counts.
@Suite("Attack: customer export")
struct ExportAttackTests {
    /// 2026-12-07 10:00 UTC, a Monday: a working day in the default calendar.
    static let start: Int64 = 1_796_637_600_000

    /// The organisation with `count` customers of Ana's, and the two administrators' tokens.
    struct Setup {
        let org: AttackOrg
        let clock: ManualWallClock
        let admin: String
        let adminId: UUID
        let admin2: String
        let customers: [(id: UUID, secrets: AttackOrg.Secrets)]

        static func make(customers count: Int = 4) async throws -> Setup {
            let clock = ManualWallClock(startMillis: ExportAttackTests.start)
            let org = try await AttackOrg.start(clock: clock)
            var customers: [(id: UUID, secrets: AttackOrg.Secrets)] = []
            for number in 0..<count { customers.append(try await org.customer(owner: org.ana, number: number)) }
            let server = org.server
            let first = try await server.login(server.admin.loginName, password: server.admin.password)
            let admin2 = try await server.login("second-admin").tokens.accessToken
            return Setup(
                org: org, clock: clock, admin: first.tokens.accessToken, adminId: first.staff.id, admin2: admin2,
                customers: customers)
        }

        var server: LiveServer { org.server }

        func request(_ token: String, reason: String = "year-end archive for the auditors") async throws -> LiveServer.Reply {
            try await server.send(
                .POST, "/v1/admin/customers/exports", body: try JSONSerialization.data(withJSONObject: ["reason": reason]),
                token: token)
        }

        func post(_ path: String, _ token: String) async throws -> LiveServer.Reply {
            try await server.send(.POST, path, token: token)
        }

        /// Requests as the first administrator, approves as the second; the export's id.
        func approvedExport() async throws -> String {
            let requested = try await request(admin)
            #expect(requested.status == 202, "\(requested.text)")
            let id = try #require(requested.json["id"] as? String, "\(requested.text)")
            let approved = try await post("/v1/admin/customers/exports/\(id)/approve", admin2)
            #expect(approved.status == 200, "\(approved.text)")
            return id
        }

        func entries(_ action: AuditAction) async throws -> [AuditLine] {
            try await server.services.audit.query(AuditQuery(action: action, limit: 1_000)).entries
        }
    }

    @Test("a lone administrator cannot export: the request waits, self-approval and download are refused")
    func loneAdministrator() async throws {
        let setup = try await Setup.make()
        let requested = try await setup.request(setup.admin)
        #expect(requested.status == 202, "\(requested.text)")
        #expect(requested.json["status"] as? String == "pending")
        #expect(requested.json["customers"] as? Int == setup.customers.count)
        let id = try #require(requested.json["id"] as? String)

        let early = try await setup.post("/v1/admin/customers/exports/\(id)/download", setup.admin)
        #expect(early.status == 403 && early.errorMessage.contains("second administrator"), "\(early.text)")
        let selfApproval = try await setup.post("/v1/admin/customers/exports/\(id)/approve", setup.admin)
        #expect(selfApproval.status == 403, "\(selfApproval.text)")
        let still = try await setup.server.send(.GET, "/v1/admin/customers/exports/\(id)", token: setup.admin)
        #expect(still.json["status"] as? String == "pending", "\(still.text)")
        #expect(try await setup.entries(.export).isEmpty)
        try await setup.org.stop()
    }

    @Test("an approval is good for one download, by the requester only, masked as the requester reads")
    func approvalIsNotReusable() async throws {
        let setup = try await Setup.make()
        let id = try await setup.approvedExport()
        let path = "/v1/admin/customers/exports/\(id)/download"

        let byApprover = try await setup.post(path, setup.admin2)
        #expect(byApprover.status == 403 && byApprover.errorMessage.contains("requested"), "\(byApprover.text)")
        let first = try await setup.post(path, setup.admin)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.headers.first(name: "content-type")?.hasPrefix("application/x-ndjson") == true)
        let lines = first.text.split(separator: "\n")
        #expect(lines.count == setup.customers.count)
        let ids = Set(lines.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
        })
        #expect(ids == Set(setup.customers.map(\.id.uuidString)))
        // Administrators read sensitive values on request only: an export does not unmask them.
        for customer in setup.customers { #expect(!first.text.contains(customer.secrets.phone)) }

        let again = try await setup.post(path, setup.admin)
        #expect(again.status == 403 && again.errorMessage.contains("already downloaded"), "\(again.text)")
        let reapprove = try await setup.post("/v1/admin/customers/exports/\(id)/approve", setup.admin2)
        #expect(reapprove.status == 409, "\(reapprove.text)")
        #expect(try await setup.entries(.export).count == 1)
        try await setup.org.stop()
    }

    @Test("a sales rep cannot request, approve or download an export")
    func repCannotExport() async throws {
        let setup = try await Setup.make()
        let id = try await setup.approvedExport()
        let ana = try await setup.org.device("ana")
        let request = try await setup.request(ana.token)
        #expect(request.status == 403, "\(request.text)")
        for action in ["approve", "reject", "download"] {
            let reply = try await setup.post("/v1/admin/customers/exports/\(id)/\(action)", ana.token)
            #expect(reply.status == 403, "\(action): \(reply.text)")
        }
        #expect(try await ana.get("/v1/admin/customers/exports").status == 403)
        #expect(try await setup.entries(.export).isEmpty)
        try await setup.org.stop()
    }

    @Test("a download after the approval's window fails and the export shows as expired")
    func downloadAfterExpiry() async throws {
        let setup = try await Setup.make()
        let id = try await setup.approvedExport()
        setup.clock.advance(byMillis: 15 * 60 * 1_000 + 1)
        let late = try await setup.post("/v1/admin/customers/exports/\(id)/download", setup.admin)
        #expect(late.status == 403 && late.errorMessage.contains("expired"), "\(late.text)")
        let shown = try await setup.server.send(.GET, "/v1/admin/customers/exports/\(id)", token: setup.admin)
        #expect(shown.json["status"] as? String == "expired", "\(shown.text)")
        #expect(try await setup.entries(.export).isEmpty)
        try await setup.org.stop()
    }

    @Test("the audit log shows request, approval and download with counts, and stays intact")
    func auditTrail() async throws {
        let setup = try await Setup.make(customers: 3)
        let id = try await setup.approvedExport()
        #expect(try await setup.post("/v1/admin/customers/exports/\(id)/download", setup.admin).status == 200)
        let exportId = try #require(UUID(uuidString: id))
        let requested = try #require(try await setup.entries("exportRequested").first)
        #expect(requested.recordIds == [exportId] && requested.reason.contains("3 customers"))
        #expect(requested.actorId == setup.adminId)
        let approved = try #require(try await setup.entries("exportApproved").first)
        #expect(approved.actorId == setup.org.admin2.id && approved.recordIds == [exportId, setup.adminId])
        #expect(approved.reason.contains("3 customers"))
        let downloaded = try #require(try await setup.entries(.export).first)
        #expect(downloaded.recordIds.count == 1 + 3 && downloaded.recordIds.first == exportId)
        #expect(Set(downloaded.recordIds.dropFirst()) == Set(setup.customers.map(\.id)))
        #expect(downloaded.reason.contains("3 customers"))
        #expect(try await setup.server.services.audit.verify().intact)
        try await setup.org.stop()
    }

    @Test("downloads count against the requester's quotas: exports per day and distinct customers per day")
    func quotas() async throws {
        let setup = try await Setup.make(customers: 3)
        var admin = Role.admin
        admin.quotas.exportsPerDay = 2
        try await setup.server.services.storage.saveRole(admin)
        for _ in 0..<2 {
            let id = try await setup.approvedExport()
            #expect(try await setup.post("/v1/admin/customers/exports/\(id)/download", setup.admin).status == 200)
        }
        let third = try await setup.approvedExport()
        let refused = try await setup.post("/v1/admin/customers/exports/\(third)/download", setup.admin)
        #expect(refused.status == 429 && refused.errorMessage.contains("daily quota"), "\(refused.text)")
        #expect(refused.headers.first(name: "retry-after") != nil)
        // Refused, not spent: the approval still stands for tomorrow's quota (if still in its window).
        let shown = try await setup.server.send(.GET, "/v1/admin/customers/exports/\(third)", token: setup.admin)
        #expect(shown.json["status"] as? String == "approved", "\(shown.text)")

        admin.quotas.exportsPerDay = 5
        admin.quotas.distinctCustomersPerDay = 2
        setup.clock.advance(byMillis: 86_400_000)
        try await setup.server.services.storage.saveRole(admin)
        let big = try await setup.approvedExport()
        let tooMany = try await setup.post("/v1/admin/customers/exports/\(big)/download", setup.admin)
        #expect(tooMany.status == 429 && tooMany.errorMessage.contains("distinct customers"), "\(tooMany.text)")
        #expect(try await setup.entries(.export).count == 2)
        try await setup.org.stop()
    }
}
