import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

@Suite("Demo customers")
struct SyncDemoTests {
    @Test("--demo seeds customers and their records through the change log, owned across the staff")
    func demoCustomersSyncByScope() async throws {
        let server = try await TestServer.start()
        let logins = try await DemoSeeder(identity: server.services.identity, customerCount: 48).seed()
        #expect(logins.count == 6)
        let sync = server.services.sync
        let customers = try await sync.storage.liveRecords(of: [.customer])
        #expect(customers.count == 48)
        #expect(Set(customers.compactMap(\.ownerId)).count == 16)
        let children = try await sync.storage.liveRecords(
            of: [.contact, .interaction, .order, .complaint, .satisfactionSurvey, .receivable, .salesPlan, .expenseBudget, .expense])
        #expect(children.count >= 48)
        // Each customer is written twice: created, then given its own joining date.
        #expect(try await sync.storage.stableSequence() == Int64(2 * customers.count + children.count))

        let ana = SyncEndpointTests.Device(server: server, login: try await server.login("ana.rep", password: "demo-salesRep-2024"))
        let page = try await ana.pulled()
        let delivered = page.changes.filter { $0.entity == .customer }
        #expect(!delivered.isEmpty && delivered.count <= 3)
        #expect(delivered.allSatisfy { $0.fields["ownerId"] == .string(ana.staffId.uuidString) })
        let admin = SyncEndpointTests.Device(server: server, login: try await server.login("grace.admin", password: "demo-admin-2024"))
        var cursor: String?
        var seen = 0
        repeat {
            let next = try await admin.pulled(cursor)
            seen += next.changes.filter { $0.entity == .customer }.count
            cursor = next.cursor
            if !next.hasMore { break }
        } while true
        #expect(seen == 48)
        #expect(try await DemoSeeder(identity: server.services.identity, customerCount: 48).seed().isEmpty)
        try await server.stop()
    }
}
