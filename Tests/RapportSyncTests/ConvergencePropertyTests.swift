import Foundation
import PropertyBased
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient
import RapportSyncServer
import RapportTesting
import Testing

/// Several devices with real encrypted stores make random offline edits (same-field
/// conflicts, counters, tag sets, invalid values, deletes against edits) while the server
/// reassigns customers, through random interleavings of syncs, lost responses and restarts.
/// Afterwards every device holds exactly the server's state for its scope, every accepted edit
/// survived or was reported lost, no counter delta was applied twice, and evicted records left
/// no trace.
@Suite("Convergence")
struct ConvergencePropertyTests {
    static let alice = UUID(uuidString: "A0000000-0000-4000-8000-00000000000A")!
    static let bob = UUID(uuidString: "A0000000-0000-4000-8000-00000000000B")!

    @Test("random offline edits and scope changes converge to the server's state")
    func converges() async {
        await propertyCheck(count: 12, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            do {
                try await Self.run(seed: UInt64(seed), steps: 30)
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    /// A small deterministic generator (SplitMix64), so one seed replays one scenario.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }
        mutating func pick<T>(_ items: [T]) -> T? { items.isEmpty ? nil : items[int(0...(items.count - 1))] }
    }

    static func run(seed: UInt64, steps: Int) async throws {
        var random = Random(state: seed)
        let world = try SyncWorld()
        let devices = [
            try await world.device("alice-phone", staff: alice),
            try await world.device("alice-tablet", staff: alice),
            try await world.device("bob-phone", staff: bob),
        ]
        var conflicts: [ReportedConflict] = []
        var label = 0
        func sync(_ device: SimDevice) async throws {
            let report = try await device.engine.sync()
            conflicts += report.conflicts
        }
        for device in devices {
            for _ in 0..<2 {
                try await device.engine.save(SyncWorld.customer(owner: device.staff, name: "start-\(label)", points: 100, tags: ["a"]))
                label += 1
            }
        }
        for device in devices { try await sync(device) }
        for device in devices { try await sync(device) }

        for _ in 0..<steps {
            let device = devices[random.int(0...2)]
            world.clock.advance(byMillis: Int64(random.int(0...3000)))
            switch random.int(0...99) {
            case 0..<45:
                let local = try await device.store.entities(Customer.self, RecordQuery(kind: .customer))
                guard var customer = random.pick(local) else { continue }
                label += 1
                switch random.int(0...9) {
                case 0...2: customer.name = "name-\(label)"
                case 3...4: customer.loyaltyPoints += Int64(random.int(1...20))
                case 5...6:
                    let tag = random.pick(["a", "b", "c"])!
                    if customer.tags.contains(tag) { customer.tags.remove(tag) } else { customer.tags.insert(tag) }
                case 7: customer.paymentTermDays = random.chance(30) ? 999 : random.int(0...90)
                case 8:
                    try await device.engine.delete(.customer, id: customer.id)
                    continue
                default: customer.notes = "note-\(label)"
                }
                try await device.engine.save(customer)
            case 45..<52:
                label += 1
                try await device.engine.save(SyncWorld.customer(owner: device.staff, name: "new-\(label)", points: 10))
            case 52..<80:
                try await sync(device)
            case 80..<87:
                device.transport.failNext([random.chance(50) ? .afterServer : .beforeServer])
                try await sync(device)
            case 87..<93:
                try await device.restart()
            default:
                let live = await world.storage.liveRecords()
                guard let record = random.pick(live) else { continue }
                let newOwner = record.ownerId == alice ? bob : alice
                try await world.server.serverWrite(record.key, fields: ["ownerId": .string(newOwner.uuidString)])
            }
        }

        // Quiesce: everyone syncs until nothing moves.
        for _ in 0..<3 {
            for device in devices { try await sync(device) }
        }
        try await check(world: world, devices: devices, conflicts: conflicts, seed: seed)
    }

    static func check(world: SyncWorld, devices: [SimDevice], conflicts: [ReportedConflict], seed: UInt64) async throws {
        let live = await world.storage.liveRecords()
        for device in devices {
            #expect(try await device.store.outbox().isEmpty, "seed \(seed): \(device.name) still has pending edits")
            let local = try await device.localFields()
            let expected = Dictionary(uniqueKeysWithValues: live.filter { $0.ownerId == device.staff }.map { ($0.key.id, $0.fields) })
            #expect(Set(local.keys) == Set(expected.keys), "seed \(seed): \(device.name) holds other records than its scope")
            for (id, fields) in expected {
                #expect(local[id] == fields, "seed \(seed): \(device.name) differs from the server on \(id)")
            }
        }
        // Evicted and deleted records leave no trace: no record, no shadow.
        let allKeys = Set(world.pushed.all.map(\.recordId)).union(live.map(\.key.id))
        for device in devices {
            let visible = Set(live.filter { $0.ownerId == device.staff }.map(\.key.id))
            for id in allKeys.subtracting(visible) {
                #expect(try await device.store.document(id: id) == nil, "seed \(seed): \(device.name) kept \(id)")
                #expect(try await device.store.shadow(id: id) == nil, "seed \(seed): \(device.name) kept a shadow of \(id)")
            }
        }
        // Exactly once: each live record's points are its creation value plus every accepted delta.
        let mutations = world.pushed.all
        var accepted: [Mutation] = []
        for mutation in mutations {
            if let outcome = await world.storage.outcome(of: mutation.clientMutationId), outcome.status != .rejected {
                accepted.append(mutation)
            }
        }
        for record in live {
            let mine = accepted.filter { $0.recordId == record.key.id }
            guard let create = mine.first(where: { $0.op == .create }) else { continue }
            var points = create.fields["loyaltyPoints"]?.intValue ?? 0
            for mutation in mine where mutation.op == .update {
                if let new = mutation.fields["loyaltyPoints"]?.intValue, let base = mutation.base?["loyaltyPoints"]?.intValue {
                    points += new - base
                }
            }
            #expect(record.fields["loyaltyPoints"]?.intValue == points, "seed \(seed): points of \(record.key.id) were not applied exactly once")
        }
        // Every accepted name edit survived, was knowingly overwritten, or was reported lost.
        for mutation in accepted where mutation.op != .delete {
            guard let value = mutation.fields["name"], let record = live.first(where: { $0.key.id == mutation.recordId }) else { continue }
            if record.fields["name"] == value { continue }
            let overwritten = accepted.contains { $0.recordId == mutation.recordId && $0.base?["name"] == value }
            let reported = conflicts.contains { entry in
                entry.recordId == mutation.recordId && entry.conflict.field == "name"
                    && ((entry.conflict.yours == value && entry.conflict.winner == .theirs)
                        || (entry.conflict.theirs == value && entry.conflict.winner == .yours))
            }
            #expect(overwritten || reported, "seed \(seed): the accepted edit name=\(value) on \(mutation.recordId) vanished without a report")
        }
    }
}
