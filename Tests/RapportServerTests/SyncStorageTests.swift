import Foundation
import GRDB
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// RapportSyncServer's storage contract and the key scenarios of `Tests/RapportSyncTests`, run
/// against `SQLiteServerStorage` (each test on a fresh database file).
@Suite("Sync storage on SQLite")
struct SyncStorageTests {
    static let alice = UUID(uuidString: "A0000000-0000-4000-8000-00000000000A")!
    static let bob = UUID(uuidString: "A0000000-0000-4000-8000-00000000000B")!
    static let team = UUID(uuidString: "B0000000-0000-4000-8000-000000000001")!
    static let start: Int64 = 1_772_358_600_000

    /// A fresh database and a sync core over it with an owner-based scope (as `SyncWorld`).
    struct World {
        let directory: TemporaryDirectory
        let storage: SQLiteServerStorage
        let clock = ManualWallClock(startMillis: SyncStorageTests.start)
        let server: SyncServer

        init() throws {
            directory = try TemporaryDirectory(prefix: "rapport-sync-sqlite")
            let storage = try SQLiteServerStorage(path: directory.path("rapport.sqlite"))
            self.storage = storage
            let scope = ClosureScopeProvider(
                visible: { principal in
                    Set(
                        try await storage.liveRecords(of: [.customer]).filter { $0.ownerId == principal.staffId }.map(
                            \.key))
                },
                evictionReason: { _, _ in .reassigned },
                authorize: { write, principal in
                    (write.before ?? write.after)?["ownerId"]?.stringValue == principal.staffId.uuidString
                        ? .allowed : .denied("only the owner may change this customer")
                })
            server = SyncServer(storage: storage, scope: scope, clock: clock)
        }

        func principal(_ staff: UUID, device: UUID) -> SyncPrincipal { SyncPrincipal(staffId: staff, deviceId: device) }

        func hlc(_ device: UUID, plus millis: Int64 = 0) throws -> HLCTimestamp {
            try HLCTimestamp(physicalMillis: clock.nowMillis() + millis, counter: 0, node: device.uuidString.lowercased())
        }

        func create(_ id: UUID, owner: UUID, name: String, device: UUID) throws -> Mutation {
            let customer = Customer(
                id: id, kind: .individual, name: name, sourceChannel: .referral, ownerId: owner, teamId: team,
                createdAt: Date(timeIntervalSince1970: 1_772_000_000), individual: IndividualProfile())
            let fields = try customer.fieldMap().filter { !$0.value.isNull }
            return Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: id, op: .create, baseVersion: 0, fields: fields,
                hlc: try hlc(device))
        }

        func update(_ id: UUID, base version: Int64, _ fields: FieldMap, base: FieldMap, device: UUID) throws
            -> Mutation
        {
            Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: id, op: .update, baseVersion: version,
                fields: fields, base: base, hlc: try hlc(device))
        }

        func remove() { directory.remove() }
    }

    @Test("commits take increasing sequences; a stale version or a reused mutation id is a conflict")
    func commitContract() async throws {
        let world = try World()
        defer { world.remove() }
        let storage = world.storage
        let key = RecordKey(.customer, UUID())
        let state = FieldState(clock: try world.hlc(Self.alice), version: 1, sequence: 0)
        let record = StoredRecord(
            key: key, version: 1, fields: ["name": "王芳", "ownerId": .string(Self.alice.uuidString)],
            fieldStates: ["name": state], sequence: 0)
        let outcome = StoredMutationOutcome(
            clientMutationId: UUID(), principal: world.principal(Self.alice, device: UUID()), key: key, status: .applied,
            version: 1, conflicts: nil, rejection: nil, recordedAtMillis: Self.start)
        let first = try await storage.commit(
            RecordCommit(record: record, expectedVersion: 0, changedPaths: ["name"], outcome: outcome),
            committedAtMillis: Self.start)
        #expect(first == 1)
        #expect(try await storage.stableSequence() == 1)
        let stored = try #require(try await storage.record(key))
        #expect(stored.sequence == 1 && stored.fieldStates["name"]?.sequence == 1 && stored.fields["name"] == "王芳")
        #expect(try await storage.outcome(of: outcome.clientMutationId)?.status == .applied)

        await #expect(throws: SyncStorageConflict.self) {
            _ = try await storage.commit(
                RecordCommit(record: record, expectedVersion: 0, changedPaths: ["name"], outcome: nil),
                committedAtMillis: Self.start)
        }
        var next = record
        next.version = 2
        await #expect(throws: SyncStorageConflict.self) {
            _ = try await storage.commit(
                RecordCommit(record: next, expectedVersion: 1, changedPaths: ["name"], outcome: outcome),
                committedAtMillis: Self.start)
        }
        #expect(try await storage.record(key)?.version == 1)  // the refused commit changed nothing
        let second = try await storage.commit(
            RecordCommit(record: next, expectedVersion: 1, changedPaths: ["name"], outcome: nil),
            committedAtMillis: Self.start + 1)
        #expect(second == 2)
        let log = try await storage.changes(after: 0, upTo: 2, limit: 10)
        #expect(log.map(\.sequence) == [1, 2] && log.map(\.version) == [1, 2] && log[0].paths == ["name"])
        #expect(try await storage.changes(after: 1, upTo: 2, limit: 10).map(\.sequence) == [2])
    }

    @Test("snapshots are kept as intervals: old epochs stay readable until pruned")
    func scopeSnapshots() async throws {
        let world = try World()
        defer { world.remove() }
        let storage = world.storage
        let device = UUID()
        let a = RecordKey(.customer, UUID())
        let b = RecordKey(.customer, UUID())
        let c = RecordKey(.contact, UUID())
        #expect(try await storage.scopeSnapshot(device: device, epoch: 0) == [])
        #expect(try await storage.scopeSnapshot(device: device, epoch: 1) == nil)
        let one = try await storage.saveScopeSnapshot(device: device, records: [a, b])
        let two = try await storage.saveScopeSnapshot(device: device, records: [b, c])
        let three = try await storage.saveScopeSnapshot(device: device, records: [a, b, c])
        #expect([one, two, three] == [1, 2, 3])
        #expect(try await storage.scopeSnapshot(device: device, epoch: 1) == [a, b])
        #expect(try await storage.scopeSnapshot(device: device, epoch: 2) == [b, c])
        #expect(try await storage.scopeSnapshot(device: device, epoch: 3) == [a, b, c])
        try await storage.pruneScopeSnapshots(device: device, before: 3)
        #expect(try await storage.scopeSnapshot(device: device, epoch: 2) == nil)
        #expect(try await storage.scopeSnapshot(device: device, epoch: 3) == [a, b, c])
        #expect(try await storage.scopeSnapshot(device: UUID(), epoch: 3) == nil)
        // Pruning again up to the same (or an earlier) epoch is a no-op; later epochs still prune.
        try await storage.pruneScopeSnapshots(device: device, before: 3)
        try await storage.pruneScopeSnapshots(device: device, before: 1)
        #expect(try await storage.scopeSnapshot(device: device, epoch: 3) == [a, b, c])
        let four = try await storage.saveScopeSnapshot(device: device, records: [c])
        try await storage.pruneScopeSnapshots(device: device, before: four)
        #expect(try await storage.scopeSnapshot(device: device, epoch: 3) == nil)
        #expect(try await storage.scopeSnapshot(device: device, epoch: four) == [c])
    }

    @Test("records(_:) reads many records at once, as record(_:) reads each; customerIds(of:) likewise")
    func batchReads() async throws {
        let world = try World()
        defer { world.remove() }
        let storage = world.storage
        var keys: [RecordKey] = []
        let customer = UUID()
        // More than one IN-list chunk, two kinds, a tombstone.
        let count = 507  // SQLiteServerStorage binds at most 500 ids per query
        for index in 0..<count {
            let key = index % 3 == 0 ? RecordKey(.customer, index == 0 ? customer : UUID()) : RecordKey(.contact, UUID())
            let state = FieldState(clock: try world.hlc(Self.alice, plus: Int64(index)), version: 1, sequence: 0)
            var fields: FieldMap = ["name": .string("n\(index)"), "ownerId": .string(Self.alice.uuidString)]
            if key.kind == .contact { fields["customerId"] = .string(customer.uuidString) }
            let record = StoredRecord(
                key: key, version: 1, deleted: index == 5, deletedAtMillis: index == 5 ? Self.start : nil, fields: fields,
                fieldStates: ["name": state, "ownerId": state], sequence: 0)
            _ = try await storage.commit(
                RecordCommit(record: record, expectedVersion: 0, changedPaths: ["name"], outcome: nil),
                committedAtMillis: Self.start)
            keys.append(key)
        }
        let missing = RecordKey(.order, UUID())
        let found = try await storage.records(keys + [missing, keys[0]])
        #expect(found.count == count && found[missing] == nil)
        for key in keys {
            let one = try #require(try await storage.record(key))
            #expect(found[key] == one)
        }
        #expect(found[keys[5]]?.deleted == true)
        #expect(try await storage.records([]).isEmpty)

        let owners = try await storage.customerIds(of: keys + [missing])
        #expect(owners[missing] == nil)
        for key in keys where key.kind == .contact { #expect(owners[key] == customer) }
        for key in keys where key.kind == .customer { #expect(owners[key] == key.id) }
    }

    @Test("field states written by commit read back exactly, and rows in the JSONEncoder form still read")
    func fieldStateCodec() async throws {
        let world = try World()
        defer { world.remove() }
        let storage = world.storage
        let key = RecordKey(.customer, UUID())
        let clock = try HLCTimestamp(physicalMillis: Self.start, counter: 3, node: "device-a")
        let states = [
            "name": FieldState(clock: clock, version: 1, sequence: 0),
            "profile.family.spouse": FieldState(clock: try world.hlc(Self.bob), version: 1, sequence: 0),
        ]
        let record = StoredRecord(
            key: key, version: 1, fields: ["name": "王芳", "profile.family.spouse": "李雷"], fieldStates: states,
            sequence: 0)
        let sequence = try await storage.commit(
            RecordCommit(record: record, expectedVersion: 0, changedPaths: ["name"], outcome: nil),
            committedAtMillis: Self.start)
        var expected = states
        for path in expected.keys { expected[path]?.sequence = sequence }
        #expect(try await storage.record(key)?.fieldStates == expected)

        let older = String(decoding: try RapportJSON.encoder().encode(expected), as: UTF8.self)
        try await storage.database.write { db in
            try db.execute(sql: "UPDATE syncRecord SET fieldStates = ? WHERE id = ?", arguments: [older, key.id.uuidString])
        }
        #expect(try await storage.record(key)?.fieldStates == expected)
        #expect(try await storage.records([key])[key]?.fieldStates == expected)
    }

    @Test("push, pull, same-field conflict, rejection, replay and delete through the sync core on SQLite")
    func pushPullScenarios() async throws {
        let world = try World()
        defer { world.remove() }
        let phone = UUID()
        let tablet = UUID()
        let alicePhone = world.principal(Self.alice, device: phone)
        let aliceTablet = world.principal(Self.alice, device: tablet)
        let id = UUID()

        let created = try await world.server.push(
            PushRequest(mutations: [try world.create(id, owner: Self.alice, name: "base", device: phone)]),
            from: alicePhone)
        #expect(created.results[0].status == .applied && created.results[0].version == 1)

        var tabletPage = try await world.server.pull(PullRequest(cursor: nil), from: aliceTablet)
        #expect(tabletPage.changes.map(\.kind) == [.full] && tabletPage.changes[0].fields["name"] == "base")
        let phonePage = try await world.server.pull(PullRequest(cursor: nil), from: alicePhone)

        // Same field on two devices: the later clock wins and the loser hears of it.
        let early = try world.update(id, base: 1, ["name": "from phone"], base: ["name": "base"], device: phone)
        world.clock.advance(byMillis: 5_000)
        let late = try world.update(id, base: 1, ["name": "from tablet"], base: ["name": "base"], device: tablet)
        #expect(try await world.server.push(PushRequest(mutations: [late]), from: aliceTablet).results[0].status == .applied)
        let lost = try await world.server.push(PushRequest(mutations: [early]), from: alicePhone).results[0]
        let conflict = try #require(lost.conflicts?.first)
        #expect(lost.status == .merged)
        #expect(conflict.field == "name" && conflict.base == "base" && conflict.yours == "from phone")
        #expect(conflict.theirs == "from tablet" && conflict.result == "from tablet" && conflict.winner == .theirs)

        // The phone's next pull carries only what changed since its cursor.
        let delta = try await world.server.pull(PullRequest(cursor: phonePage.cursor), from: alicePhone)
        #expect(delta.changes.count == 1 && delta.changes[0].kind == .partial)
        #expect(delta.changes[0].fields["name"] == "from tablet" && delta.changes[0].version == 2)

        // A validation failure rejects the mutation with the server's record; later ones still apply.
        let invalid = try world.update(id, base: 2, ["paymentTermDays": 999], base: ["paymentTermDays": .null], device: phone)
        let fine = try world.update(id, base: 2, ["code": "C-9"], base: ["code": .null], device: phone)
        let mixed = try await world.server.push(PushRequest(mutations: [invalid, fine]), from: alicePhone)
        #expect(mixed.results[0].status == .rejected && mixed.results[0].rejection?.code == .validation)
        #expect(mixed.results[0].rejection?.field == "paymentTermDays")
        #expect(mixed.results[0].record?.fields["paymentTermDays"] == .null)
        #expect(mixed.results[1].status == .applied && mixed.results[1].version == 3)

        // A replay changes nothing and answers the first outcome.
        let before = try await world.storage.stableSequence()
        let replay = try await world.server.push(PushRequest(mutations: [invalid, fine]), from: alicePhone)
        #expect(replay.results.allSatisfy { $0.replayed == true })
        #expect(replay.results.map(\.status) == [.rejected, .applied])
        #expect(try await world.storage.stableSequence() == before)

        // Deletion reaches the other device as a deleted change.
        let delete = Mutation(
            clientMutationId: UUID(), entity: .customer, recordId: id, op: .delete, baseVersion: 3, fields: [:],
            hlc: try world.hlc(phone))
        #expect(try await world.server.push(PushRequest(mutations: [delete]), from: alicePhone).results[0].status == .applied)
        tabletPage = try await world.server.pull(PullRequest(cursor: tabletPage.cursor), from: aliceTablet)
        #expect(tabletPage.changes.map(\.kind) == [.deleted])
    }

    @Test("reassignment evicts from the old owner and delivers in full to the new; a lost page can be pulled again")
    func evictionAndRetry() async throws {
        let world = try World()
        defer { world.remove() }
        let aliceDevice = world.principal(Self.alice, device: UUID())
        let bobDevice = world.principal(Self.bob, device: UUID())
        let id = UUID()
        _ = try await world.server.push(
            PushRequest(mutations: [try world.create(id, owner: Self.alice, name: "王芳", device: aliceDevice.deviceId)]),
            from: aliceDevice)
        let first = try await world.server.pull(PullRequest(cursor: nil), from: aliceDevice)
        #expect(first.changes.count == 1)
        let bobFirst = try await world.server.pull(PullRequest(cursor: nil), from: bobDevice)
        #expect(bobFirst.changes.isEmpty)

        try await world.server.serverWrite(RecordKey(.customer, id), fields: ["ownerId": .string(Self.bob.uuidString)])
        let evicted = try await world.server.pull(PullRequest(cursor: first.cursor), from: aliceDevice)
        #expect(evicted.evictions == [Eviction(entity: .customer, recordId: id, reason: .reassigned)])
        // The response was lost: the same cursor gives the same answer.
        let again = try await world.server.pull(PullRequest(cursor: first.cursor), from: aliceDevice)
        #expect(again.evictions == evicted.evictions)
        let settled = try await world.server.pull(PullRequest(cursor: again.cursor), from: aliceDevice)
        #expect(settled.evictions.isEmpty && settled.changes.isEmpty && !settled.hasMore)

        let entered = try await world.server.pull(PullRequest(cursor: bobFirst.cursor), from: bobDevice)
        #expect(entered.changes.map(\.kind) == [.full] && entered.changes[0].fields["ownerId"] == .string(Self.bob.uuidString))
    }

    @Test("a cursor older than the retained history must reset; purged tombstones disappear")
    func historyExpiry() async throws {
        let world = try World()
        defer { world.remove() }
        let device = world.principal(Self.alice, device: UUID())
        let id = UUID()
        _ = try await world.server.push(
            PushRequest(mutations: [try world.create(id, owner: Self.alice, name: "old", device: device.deviceId)]),
            from: device)
        let page = try await world.server.pull(PullRequest(cursor: nil), from: device)
        try await world.server.serverDelete(RecordKey(.customer, id))
        world.clock.advance(byMillis: 31 * 86_400_000)
        try await world.server.serverWrite(RecordKey(.customer, UUID()), fields: try world.create(UUID(), owner: Self.alice, name: "new", device: device.deviceId).fields)
        try await world.server.expireHistory()
        #expect(try await world.storage.historyFloor() == 2)
        #expect(try await world.storage.record(RecordKey(.customer, id)) == nil)
        await #expect {
            _ = try await world.server.pull(PullRequest(cursor: page.cursor), from: device)
        } throws: { ($0 as? SyncError)?.code == .resetRequired }
        let fresh = try await world.server.pull(PullRequest(cursor: nil), from: device)
        #expect(fresh.changes.count == 1 && fresh.changes[0].fields["name"] == "new")
    }

    @Test("the scope predicate run as SQL lists exactly the customers canRead allows, over generated organisations")
    func scopeQueryAgreesWithCanRead() async throws {
        for seed in [UInt64(1), 7, 42] {
            let world = try World()
            defer { world.remove() }
            let fixture = AccessFixtures.world(seed: seed, staffCount: 24, customerCount: 300)
            try await world.storage.database.write { db in
                for customer in fixture.customers {
                    let id = customer.id.uuidString
                    try db.execute(
                        sql: """
                            INSERT INTO syncCustomer (id, ownerId, teamId, tier, accountManagerId, keyAnchor)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            id, customer.ownerId.uuidString, customer.teamId?.uuidString ?? "",
                            customer.tier?.rawValue ?? "", customer.accountManagerId?.uuidString,
                            customer.keyAnchor.uuidString,
                        ])
                    for tag in customer.tags {
                        try db.execute(
                            sql: "INSERT INTO syncCustomerTag (customerId, tag) VALUES (?, ?)", arguments: [id, tag])
                    }
                    for assignee in customer.openComplaintAssignees {
                        try db.execute(
                            sql: "INSERT INTO syncOpenComplaint (complaintId, customerId, assigneeId) VALUES (?, ?, ?)",
                            arguments: [UUID().uuidString, id, assignee.uuidString])
                    }
                }
            }
            let policy = AccessPolicy(fixture.organisation)
            for principal in fixture.principals {
                for now in [fixture.now] + fixture.interestingInstants.prefix(4) {
                    let listed = try await world.storage.visibleRecords(
                        [.customer: policy.scope(for: principal, now: now)])
                    let allowed = Set(
                        fixture.customers.filter { policy.canRead(principal, customer: $0, now: now).isAllowed }.map {
                            RecordKey(.customer, $0.id)
                        })
                    #expect(listed == allowed, "seed \(seed), principal \(principal.staffId) at \(now)")
                }
            }
        }
    }

    @Test("the policy service rebuilds on the very next call after an organisation write, and on invalidate")
    func policyServiceFreshness() async throws {
        let world = try World()
        defer { world.remove() }
        let team = Team(id: UUID(), name: "Sales")
        try await world.storage.saveTeam(team)
        let rep = Staff(id: UUID(), name: "Ana", teamId: team.id, roles: [.salesRep])
        try await world.storage.saveStaff(rep)
        let policies = PolicyService(storage: world.storage, maxAge: .seconds(3_600))
        let facts = CustomerAccessFacts(id: UUID(), ownerId: rep.id, teamId: team.id)
        #expect(try await policies.current().canRead(Principal(staffId: rep.id), customer: facts, now: Date()).isAllowed)
        var suspended = rep
        suspended.status = .suspended
        try await world.storage.saveStaff(suspended)
        #expect(
            try await !policies.current().canRead(Principal(staffId: rep.id), customer: facts, now: Date()).isAllowed)
        let version = try await world.storage.organisationVersion()
        try await world.storage.database.write { db in
            try db.execute(sql: "UPDATE staff SET status = 'active'")
        }
        #expect(try await world.storage.organisationVersion() > version)
        await policies.invalidate()
        #expect(try await policies.current().canRead(Principal(staffId: rep.id), customer: facts, now: Date()).isAllowed)
    }
}
