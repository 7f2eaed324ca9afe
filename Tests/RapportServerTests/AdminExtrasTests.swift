import Foundation
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

/// The admin API's customer reassignment, canaries and insights on a real server, with devices
/// speaking the sync protocol over HTTP.
@Suite("Admin API: reassignment, canaries, insights")
struct AdminExtrasTests {
    typealias Fixture = SyncEndpointTests.Fixture

    @Test("reassigning a customer moves ownership; the old owner's next pull evicts it, the new owner's delivers it")
    func reassignEvicts() async throws {
        let fixture = try await Fixture.start()
        let server = fixture.server
        let token = try await server.adminToken()
        let ana = try await fixture.device("ana")
        let bob = try await fixture.device("bob")
        let customer = fixture.customer(owner: fixture.ana, name: "moved by admin")
        _ = try await ana.pushed([try ana.create(customer)])
        let anaFirst = try await ana.pulled()
        let bobFirst = try await bob.pulled()
        #expect(anaFirst.changes.map(\.recordId) == [customer.id])
        #expect(bobFirst.changes.isEmpty)

        let unknown = try await server.call(
            .POST, "/v1/admin/customers/\(UUID())/reassign", ["toStaff": fixture.bob.id.uuidString], token: token)
        #expect(unknown.status == 404 && unknown.errorCode == "notFound")
        let noTarget = try await server.call(.POST, "/v1/admin/customers/\(customer.id)/reassign", [:], token: token)
        #expect(noTarget.status == 400 && noTarget.errorMessage.contains("toStaff"))

        let reply = try await server.call(
            .POST, "/v1/admin/customers/\(customer.id)/reassign",
            ["toStaff": fixture.bob.id.uuidString, "reason": "territory change"], token: token)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["fromStaff"] as? String == fixture.ana.id.uuidString)
        #expect(reply.json["toStaff"] as? String == fixture.bob.id.uuidString)

        let anaSecond = try await ana.pulled(anaFirst.cursor)
        #expect(anaSecond.evictions == [Eviction(entity: .customer, recordId: customer.id, reason: .reassigned)])
        let bobSecond = try await bob.pulled(bobFirst.cursor)
        #expect(bobSecond.changes.map(\.recordId) == [customer.id])

        // To a team: owned by its manager (Martin).
        let toTeam = try await server.call(
            .POST, "/v1/admin/customers/\(customer.id)/reassign", ["toTeam": fixture.team.id.uuidString], token: token)
        #expect(toTeam.status == 200, "\(toTeam.text)")
        #expect(toTeam.json["toStaff"] as? String == fixture.manager.id.uuidString)
        let again = try await server.call(
            .POST, "/v1/admin/customers/\(customer.id)/reassign", ["toTeam": fixture.team.id.uuidString], token: token)
        #expect(again.status == 409)

        let stored = try #require(try await fixture.sync.storage.record(RecordKey(.customer, customer.id)))
        #expect(stored.ownerId == fixture.manager.id)
        let audited = try await server.services.audit.query(AuditQuery(recordId: customer.id)).entries
        #expect(audited.filter { $0.action == "customerReassigned" }.count == 2)
        try await server.stop()
    }

    @Test("canaries are planted on the person's devices, listed, and a leaked value traces back to them alone")
    func canariesPlantListTrace() async throws {
        let fixture = try await Fixture.start()
        let server = fixture.server
        let token = try await server.adminToken()
        let ana = try await fixture.device("ana")

        let planted = try await server.call(
            .POST, "/v1/admin/canaries", ["staffId": fixture.ana.id.uuidString], token: token)
        #expect(planted.status == 201, "\(planted.text)")
        let anaCanaries = try #require(planted.json["planted"] as? [[String: Any]])
        #expect(anaCanaries.count == 3)
        let replant = try await server.call(
            .POST, "/v1/admin/canaries", ["staffId": fixture.ana.id.uuidString], token: token)
        #expect(replant.status == 200 && (replant.json["alreadyPresent"] as? [Any])?.count == 3)
        let bobPlanted = try await server.call(
            .POST, "/v1/admin/canaries", ["staffId": fixture.bob.id.uuidString, "count": 2], token: token)
        #expect(bobPlanted.status == 201)
        #expect(
            try await server.call(
                .POST, "/v1/admin/canaries", ["staffId": fixture.bob.id.uuidString, "count": 0], token: token
            ).status == 400)
        #expect(
            try await server.call(.POST, "/v1/admin/canaries", ["staffId": UUID().uuidString], token: token).status
                == 404)

        // They reach Ana's device as ordinary customers.
        let ids = Set(anaCanaries.compactMap { ($0["customerId"] as? String).flatMap(UUID.init(uuidString:)) })
        let pulled = try await ana.pulled()
        #expect(Set(pulled.changes.map(\.recordId)) == ids)

        let listed = try await server.call(.GET, "/v1/admin/canaries", token: token)
        #expect(listed.items.count == 5)
        let anaListed = try await server.call(.GET, "/v1/admin/canaries?staff=\(fixture.ana.id)", token: token)
        #expect(Set(anaListed.items.compactMap { $0["customerId"] as? String }) == Set(ids.map(\.uuidString)))

        // A leaked phone (formatted as in a spreadsheet) names Ana, and only Ana.
        let phone = try #require(anaCanaries[1]["phone"] as? String)
        let spaced = "+86 \(phone.prefix(3)) \(phone.dropFirst(3).prefix(4)) \(phone.suffix(4))"
        let traced = try await server.call(.POST, "/v1/admin/canaries/trace", ["value": spaced], token: token)
        #expect(traced.status == 200, "\(traced.text)")
        let staff = try #require(traced.json["staff"] as? [[String: Any]])
        #expect(staff.map { $0["staffId"] as? String } == [fixture.ana.id.uuidString])
        let email = try #require(anaCanaries[0]["email"] as? String)
        let inText = try await server.call(
            .POST, "/v1/admin/canaries/trace", ["text": "name,email\nX,\(email.uppercased())\n"], token: token)
        #expect(
            (inText.json["staff"] as? [[String: Any]])?.map { $0["staffId"] as? String } == [fixture.ana.id.uuidString])
        let nobody = try await server.call(.POST, "/v1/admin/canaries/trace", ["value": "13000000000"], token: token)
        #expect((nobody.json["staff"] as? [Any])?.isEmpty == true)
        let empty = try await server.call(.POST, "/v1/admin/canaries/trace", [:], token: token)
        #expect(empty.status == 400 && empty.errorMessage.contains("value"))

        let actions = try await server.services.audit.query(AuditQuery(recordId: fixture.ana.id)).entries.map(\.action)
        #expect(actions.contains("canariesPlanted") && actions.contains("canaryTraced"))
        try await server.stop()
    }

    @Test("tiers from stored orders: profits 50/20/15/10/5 give three key customers, one normal, one small")
    func insightTiers() async throws {
        let fixture = try await Fixture.start()
        let server = fixture.server
        let token = try await server.adminToken()
        let now = Date()
        var byProfit: [Int64: UUID] = [:]
        for profit: Int64 in [50, 20, 15, 10, 5] {
            let customer = fixture.customer(owner: fixture.ana, name: "profit \(profit)")
            try await fixture.sync.serverWrite(
                RecordKey(.customer, customer.id), fields: try customer.fieldMap().filter { !$0.value.isNull })
            let order = Order(
                customerId: customer.id, ownerId: fixture.ana.id, orderedAt: now.addingTimeInterval(-86_400),
                netAmount: profit * 4, grossProfit: profit, invoiced: true, createdAt: now)
            try await fixture.sync.serverWrite(
                RecordKey(.order, order.id), fields: try order.fieldMap().filter { !$0.value.isNull })
            byProfit[profit] = customer.id
        }
        // Canaries are customers too, but never ranked.
        let canaries = try await server.call(
            .POST, "/v1/admin/canaries", ["staffId": fixture.ana.id.uuidString], token: token)
        #expect(canaries.status == 201)
        // Customers are created "now" by the server; rank them 100 days later (old enough).
        let asOf = ISO8601DateFormatter().string(from: now.addingTimeInterval(100 * 86_400))
        let reply = try await server.call(.GET, "/v1/admin/insights/tiers?asOf=\(asOf)", token: token)
        #expect(reply.status == 200, "\(reply.text)")
        #expect(reply.json["totalRankedProfit"] as? Int == 100)
        let results = try #require(reply.json["results"] as? [[String: Any]])
        #expect(results.count == 5)
        let tiers = Dictionary(
            uniqueKeysWithValues: results.compactMap { result in
                (result["customerId"] as? String).map { ($0, result["tier"] as? String ?? "none") }
            })
        #expect(tiers[byProfit[50]!.uuidString] == "key")
        #expect(tiers[byProfit[20]!.uuidString] == "key")
        #expect(tiers[byProfit[15]!.uuidString] == "key")
        #expect(tiers[byProfit[10]!.uuidString] == "normal")
        #expect(tiers[byProfit[5]!.uuidString] == "small")

        let rfm = try await server.call(.GET, "/v1/admin/insights/rfm?asOf=\(asOf)", token: token)
        #expect(rfm.status == 200 && rfm.items.count == 5)
        let warnings = try await server.call(.GET, "/v1/admin/insights/warnings?asOf=\(asOf)", token: token)
        #expect(warnings.status == 200, "\(warnings.text)")
        // Key customers without an account manager are flagged.
        #expect(warnings.items.filter { $0["kind"] as? String == "keyWithoutAccountManager" }.count == 3)

        let badDate = try await server.call(.GET, "/v1/admin/insights/tiers?asOf=yesterday", token: token)
        #expect(badDate.status == 400 && badDate.errorMessage.contains("asOf"))
        let badZone = try await server.call(.GET, "/v1/admin/insights/rfm?timeZone=Mars/Olympus", token: token)
        #expect(badZone.status == 400 && badZone.errorMessage.contains("timeZone"))
        try await server.stop()
    }
}
