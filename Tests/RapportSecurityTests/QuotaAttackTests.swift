import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// Quotas that stop theft, not work: a rep's own book always reaches a new device; what a
/// person reads beyond it is capped, delivered up to the cap and said so; on notice everything
/// counts.
@Suite("Attack: read quotas")
struct QuotaAttackTests {
    /// Every page of a fresh device's first sync: the distinct customers received, the pages'
    /// read limits, and the status of each reply.
    static func firstSync(_ device: Insider) async throws -> (customers: Set<UUID>, limits: [ReadLimit], statuses: [Int]) {
        var customers: Set<UUID> = []
        var limits: [ReadLimit] = []
        var statuses: [Int] = []
        var cursor: String?
        for _ in 0..<100 {
            let reply = try await device.pull(cursor, limit: 200)
            statuses.append(reply.status)
            guard reply.status == 200 else { break }
            let page = try SyncWire.decode(PullResponse.self, from: reply.body)
            for change in page.changes where change.entity == .customer && change.kind != .deleted {
                customers.insert(change.recordId)
            }
            if let limit = page.limited { limits.append(limit) }
            cursor = page.cursor
            if !page.hasMore || page.limited != nil { break }
        }
        return (customers, limits, statuses)
    }

    @Test("a rep who owns 1,000 customers provisions a new device in full; her manager, capped at 150 beyond his own, gets 150 and is told")
    func ownBookIsFreeBeyondIsCapped() async throws {
        let org = try await AttackOrg.start(clock: ManualWallClock(startMillis: 1_796_616_000_000))
        var manager = Role.manager
        manager.quotas.distinctCustomersPerDay = 150
        try await org.server.services.storage.saveRole(manager)
        var owned: Set<UUID> = []
        for number in 0..<1_000 { owned.insert(try await org.customer(owner: org.ana, number: number).id) }
        #expect(Role.salesRep.quotas.distinctCustomersPerDay == 200)

        let phone = try await org.device("ana")
        let ana = try await Self.firstSync(phone)
        #expect(ana.customers == owned && ana.limits.isEmpty && ana.statuses.allSatisfy { $0 == 200 })

        let mia = try await Self.firstSync(try await org.device("mia"))
        #expect(mia.customers.count == 150 && mia.customers.isSubset(of: owned))
        let limit = try #require(mia.limits.first)
        #expect(limit.message.contains("150") && limit.retryAfterSeconds > 0)
        // The rest stays behind the cursor: the next pull today is refused, nothing skipped.
        let policy = try await org.sync.policies.current()
        #expect(try await org.sync.quotas.usage(staffId: org.mia.id, policy: policy, now: PushChannelAttackTests.noon).distinctCustomersToday == 150)
        try await org.stop()
    }

    @Test("on notice a rep's own book counts too: a new device gets the notice quota's worth and no more")
    func noticeCountsTheOwnBook() async throws {
        let org = try await AttackOrg.start(clock: ManualWallClock(startMillis: 1_796_616_000_000))
        var owned: Set<UUID> = []
        for number in 0..<120 { owned.insert(try await org.customer(owner: org.ana, number: number).id) }
        var ana = try #require(try await org.server.services.storage.staff(id: org.ana.id))
        ana.status = .notice
        try await org.server.services.storage.saveStaff(ana)
        let sync = try await Self.firstSync(try await org.device("ana"))
        #expect(sync.customers.count == AccessSettings().noticeQuotas.distinctCustomersPerDay)
        #expect(sync.customers.isSubset(of: owned) && !sync.limits.isEmpty)
        try await org.stop()
    }
}
