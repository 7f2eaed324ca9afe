import Foundation
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient
import RapportSyncServer
import RapportTesting
import Synchronization
import Testing

/// End-to-end scenarios: real encrypted stores, the real engine, the real server core.
@Suite("Sync scenarios")
struct SyncScenarioTests {
    let alice = UUID(uuidString: "A0000000-0000-4000-8000-00000000000A")!
    let bob = UUID(uuidString: "A0000000-0000-4000-8000-00000000000B")!

    @Test("an edit on one device reaches the other; different fields both survive")
    func differentFieldsBothSurvive() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let tablet = try await world.device("tablet", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice, name: "王芳"))
        try await phone.engine.sync()
        try await tablet.engine.sync()
        var onTablet = try #require(try await tablet.customer(id))
        onTablet.notes = "prefers calls"
        try await tablet.engine.save(onTablet)
        var onPhone = try #require(try await phone.customer(id))
        onPhone.code = "C-1"
        try await phone.engine.save(onPhone)
        world.clock.advance(byMillis: 1000)
        let first = try await tablet.engine.sync()
        let second = try await phone.engine.sync()
        try await tablet.engine.sync()
        #expect(first.applied == 1)
        #expect(second.merged == 0 && second.applied == 1 && second.conflicts.isEmpty)
        for device in [phone, tablet] {
            let customer = try #require(try await device.customer(id))
            #expect(customer.notes == "prefers calls" && customer.code == "C-1")
        }
    }

    @Test("the same field edited on two devices: the later clock wins and both sides learn of the lost edit")
    func sameFieldConflict() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let tablet = try await world.device("tablet", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice, name: "base"))
        try await phone.engine.sync()
        try await tablet.engine.sync()
        var early = try #require(try await phone.customer(id))
        early.name = "from phone"
        try await phone.engine.save(early)
        world.clock.advance(byMillis: 5000)
        var late = try #require(try await tablet.customer(id))
        late.name = "from tablet"
        try await tablet.engine.save(late)
        let tabletReport = try await tablet.engine.sync()
        let phoneReport = try await phone.engine.sync()
        #expect(tabletReport.applied == 1)
        let conflict = try #require(phoneReport.conflicts.first?.conflict)
        #expect(conflict.field == "name" && conflict.yours == "from phone" && conflict.theirs == "from tablet")
        #expect(conflict.base == "base" && conflict.result == "from tablet" && conflict.winner == .theirs)
        #expect(try await phone.customer(id)?.name == "from tablet")
        #expect(await world.serverFields(id)?["name"] == "from tablet")
    }

    @Test("counters add, tag sets merge element by element")
    func countersAndSets() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let tablet = try await world.device("tablet", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice, points: 100, tags: ["vip", "old"]))
        try await phone.engine.sync()
        try await tablet.engine.sync()
        var a = try #require(try await phone.customer(id))
        a.loyaltyPoints += 10
        a.tags.insert("east")
        a.tags.remove("old")
        try await phone.engine.save(a)
        a.loyaltyPoints += 5
        try await phone.engine.save(a)
        var b = try #require(try await tablet.customer(id))
        b.loyaltyPoints += 50
        b.tags.insert("export")
        try await tablet.engine.save(b)
        try await tablet.engine.sync()
        let report = try await phone.engine.sync()
        try await tablet.engine.sync()
        #expect(report.merged == 1 && report.conflicts.isEmpty)
        for device in [phone, tablet] {
            let customer = try #require(try await device.customer(id))
            #expect(customer.loyaltyPoints == 165)
            #expect(customer.tags == ["vip", "east", "export"])
        }
    }

    @Test("a refused edit is rolled back to the server's truth, reported, and does not block later edits")
    func rejectionRollsBack() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let good = UUID()
        let bad = UUID()
        try await phone.engine.save(SyncWorld.customer(good, owner: alice, name: "good"))
        try await phone.engine.save(SyncWorld.customer(bad, owner: alice, name: "bad"))
        try await phone.engine.sync()
        var invalid = try #require(try await phone.customer(bad))
        invalid.paymentTermDays = 999
        try await phone.engine.save(invalid)
        var fine = try #require(try await phone.customer(good))
        fine.code = "C-9"
        try await phone.engine.save(fine)
        let report = try await phone.engine.sync()
        let rejected = try #require(report.rejections.first)
        #expect(rejected.recordId == bad && rejected.rejection.code == .validation && rejected.rejection.field == "paymentTermDays")
        #expect(try await phone.customer(bad)?.paymentTermDays == nil)
        #expect(try await phone.customer(good)?.code == "C-9")
        #expect(await phone.engine.rejections.count == 1)
        #expect(try await phone.store.outbox().isEmpty)
        // The refusal is kept in the store: it survives a restart until dismissed.
        try await phone.restart()
        #expect(await phone.engine.rejections.map(\.clientMutationId) == [rejected.clientMutationId])
        #expect(await phone.engine.status.rejectionCount == 1)
        try await phone.engine.clearReports()
        try await phone.restart()
        #expect(await phone.engine.rejections.isEmpty)
    }

    @Test("deletion wins over a concurrent edit; the edit is reported as rejected")
    func deleteBeatsEdit() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let tablet = try await world.device("tablet", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice))
        try await phone.engine.sync()
        try await tablet.engine.sync()
        try await phone.engine.delete(.customer, id: id)
        var edit = try #require(try await tablet.customer(id))
        edit.notes = "edited offline"
        try await tablet.engine.save(edit)
        try await phone.engine.sync()
        let report = try await tablet.engine.sync()
        #expect(report.rejections.first?.rejection.code == .recordDeleted)
        #expect(try await tablet.store.document(id: id) == nil)
        #expect(try await tablet.store.shadow(id: id) == nil)
    }

    @Test("a reassigned customer is evicted from the old owner's device (record and shadow) and arrives whole at the new owner's")
    func reassignmentEvicts() async throws {
        let world = try SyncWorld()
        let alicePhone = try await world.device("alice", staff: alice)
        let bobPhone = try await world.device("bob", staff: bob)
        let id = UUID()
        try await alicePhone.engine.save(SyncWorld.customer(id, owner: alice, name: "moving"))
        try await alicePhone.engine.sync()
        try await bobPhone.engine.sync()
        #expect(try await bobPhone.customer(id) == nil)
        try await world.server.serverWrite(RecordKey(.customer, id), fields: ["ownerId": .string(bob.uuidString)])
        let pull = try await alicePhone.engine.sync()
        #expect(pull.purged.map(\.cause) == [.evicted(.reassigned)])
        #expect(try await alicePhone.store.document(id: id) == nil)
        #expect(try await alicePhone.store.shadow(id: id) == nil)
        try await bobPhone.engine.sync()
        #expect(try await bobPhone.customer(id)?.name == "moving")
    }

    @Test("a lost push response is retried with backoff and applied once")
    func lostResponseIsIdempotent() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice, points: 10))
        try await phone.engine.sync()
        var edit = try #require(try await phone.customer(id))
        edit.loyaltyPoints += 7
        try await phone.engine.save(edit)
        phone.transport.failNext([.afterServer, .beforeServer])
        try await phone.engine.sync()
        #expect(await world.serverFields(id)?["loyaltyPoints"] == 17)
        #expect(try await phone.customer(id)?.loyaltyPoints == 17)
        #expect(phone.sleeper.delays.withLock { $0 } == [500, 1000])
    }

    @Test("a response lost before a restart: the replayed mutation changes nothing")
    func replayAfterRestart() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let id = UUID()
        try await phone.engine.save(SyncWorld.customer(id, owner: alice, points: 10))
        try await phone.engine.sync()
        var edit = try #require(try await phone.customer(id))
        edit.loyaltyPoints += 5
        try await phone.engine.save(edit)
        phone.transport.failNext(Array(repeating: .afterServer, count: 5))
        await #expect(throws: SyncError.self) { try await phone.engine.sync() }
        try await phone.restart()
        try await phone.engine.sync()
        #expect(await world.serverFields(id)?["loyaltyPoints"] == 15)
        #expect(try await phone.customer(id)?.loyaltyPoints == 15)
    }

    @Test("a revoked device is told to wipe and its store is crypto-shredded")
    func wipe() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        try await phone.engine.save(SyncWorld.customer(owner: alice))
        try await phone.engine.sync()
        world.revoked.revoke(phone.deviceId)
        let error = await #expect(throws: SyncError.self) { try await phone.engine.sync() }
        #expect(error?.code == .wipeRequired && error?.wipe?.reason == .deviceRevoked)
        #expect(!FileManager.default.fileExists(atPath: phone.path))
        #expect(!FileManager.default.fileExists(atPath: phone.path + ".keys"))
        #expect(await phone.engine.status.phase == .wiped)
    }

    @Test("a device away longer than the retained history re-syncs from scratch")
    func resetAfterHistoryExpiry() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice)
        let tablet = try await world.device("tablet", staff: alice)
        let kept = UUID()
        let deleted = UUID()
        try await phone.engine.save(SyncWorld.customer(kept, owner: alice, name: "kept"))
        try await phone.engine.save(SyncWorld.customer(deleted, owner: alice, name: "deleted"))
        try await phone.engine.sync()
        try await tablet.engine.sync()
        try await phone.engine.delete(.customer, id: deleted)
        var edit = try #require(try await phone.customer(kept))
        edit.name = "renamed"
        try await phone.engine.save(edit)
        try await phone.engine.sync()
        world.clock.advance(byMillis: 31 * 86_400_000)
        try await world.server.expireHistory()
        let report = try await tablet.engine.sync()
        #expect(report.reset)
        #expect(try await tablet.customer(kept)?.name == "renamed")
        #expect(try await tablet.store.document(id: deleted) == nil)
    }

    @Test("pull pages are bounded and resume where they stopped")
    func paging() async throws {
        let world = try SyncWorld()
        let phone = try await world.device("phone", staff: alice, engine: SyncEngineConfiguration(batchSize: 7, pageSize: 5))
        let tablet = try await world.device("tablet", staff: alice, engine: SyncEngineConfiguration(pageSize: 4))
        for index in 0..<23 { try await phone.engine.save(SyncWorld.customer(owner: alice, name: "c\(index)")) }
        try await phone.engine.sync()
        let report = try await tablet.engine.sync()
        #expect(report.pages == 6)
        #expect(try await tablet.store.count(RecordQuery(kind: .customer)) == 23)
    }
}
