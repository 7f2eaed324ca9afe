import Foundation
import Logging
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportSyncServer
import RapportTesting
import Testing

/// The storage seam's contract, written once and generic over the storage: units of work are
/// atomic, a read unit sees one snapshot, counters that several instances share count exactly.
///
/// The sync half (``SyncContract``) runs against RapportSyncServer's `InMemorySyncStorage` (the
/// reference) and SQLite; the server half (``ServerContract``) runs against SQLite files, two
/// storages on one file standing for two server instances. There is no in-memory
/// `ServerStorage`: the server half has SQLite as its only implementation until PostgreSQL
/// joins (Docs/ScaleOut.md).
enum SyncContract {
    static func record(_ id: UUID = UUID(), version: Int64 = 1) -> StoredRecord {
        StoredRecord(
            key: RecordKey(.customer, id), version: version,
            fields: ["id": .string(id.uuidString), "name": .string("Contract \(id.uuidString.prefix(4))")],
            fieldStates: [:], sequence: 0)
    }

    static func commit(_ record: StoredRecord, in tx: any SyncStorageTransaction) async throws -> Int64 {
        try await tx.commit(
            RecordCommit(record: record, expectedVersion: record.version - 1, changedPaths: ["name"], outcome: nil),
            committedAtMillis: 1_000)
    }

    struct Rollback: Error {}

    /// A write unit that throws leaves nothing: no record, no change-log entry, no sequence.
    static func writeUnitThatThrowsLeavesNothing(_ storage: any SyncServerStorage) async throws {
        let before = try await storage.stableSequence()
        let doomed = record()
        await #expect(throws: Rollback.self) {
            try await storage.syncWrite { tx in
                _ = try await commit(doomed, in: tx)
                #expect(try await tx.record(doomed.key) != nil, "a unit sees its own write")
                throw Rollback()
            }
        }
        #expect(try await storage.record(doomed.key) == nil)
        #expect(try await storage.stableSequence() == before)
        #expect(try await storage.changes(after: before, upTo: .max, limit: 10).isEmpty)
        // And a unit that returns commits everything.
        let kept = record()
        let sequence = try await storage.syncWrite { tx in try await commit(kept, in: tx) }
        #expect(try await storage.record(kept.key)?.sequence == sequence)
    }

    /// A read unit sees one snapshot while another writer commits.
    static func readUnitSeesOneSnapshot(_ storage: any SyncServerStorage) async throws {
        _ = try await storage.syncWrite { tx in try await commit(record(), in: tx) }
        let added = record()
        let (first, second, inside) = try await storage.syncRead { tx in
            let first = try await tx.stableSequence()
            // Another task (not this unit) commits while the read unit is open.
            try await Task.detached { _ = try await storage.syncWrite { tx in try await commit(added, in: tx) } }.value
            return (first, try await tx.stableSequence(), try await tx.record(added.key))
        }
        #expect(first == second, "the read unit saw a commit made after it started")
        #expect(inside == nil)
        #expect(try await storage.stableSequence() > first)
        #expect(try await storage.record(added.key) != nil)
    }
}

enum ServerContract {
    struct Rollback: Error {}

    /// A write unit that throws leaves none of its writes (organisation rows, settings, audit).
    static func writeUnitThatThrowsLeavesNothing(_ storage: any ServerStorage) async throws {
        let team = Team(id: UUID(), name: "Doomed")
        let staff = Staff(id: UUID(), name: "Nobody", teamId: team.id, roles: [.salesRep], status: .active)
        let auditBefore = try await storage.lastAuditEntry()?.sequence ?? 0
        await #expect(throws: Rollback.self) {
            try await storage.write { tx in
                try await tx.saveTeam(team)
                try await tx.saveStaff(staff)
                try await tx.setSetting("contract", "written")
                var chain = AuditChain()
                try await tx.appendAuditEntry(
                    chain.append(AuditEvent(actorId: nil, action: .accessDenied), now: Date()))
                #expect(try await tx.staff(id: staff.id) != nil, "a unit sees its own write")
                throw Rollback()
            }
        }
        #expect(try await storage.staff(id: staff.id) == nil)
        #expect(try await storage.setting("contract") == nil)
        #expect(try await storage.organisation().teams.contains { $0.id == team.id } == false)
        #expect((try await storage.lastAuditEntry()?.sequence ?? 0) == auditBefore)
    }

    /// A read unit sees one snapshot while another storage on the same database commits.
    static func readUnitSeesOneSnapshot(_ storage: any ServerStorage, writer: any ServerStorage) async throws {
        let team = Team(id: UUID(), name: "Early")
        try await storage.saveTeam(team)
        let late = Team(id: UUID(), name: "Late")
        let (first, second) = try await storage.read { tx in
            let first = try await tx.organisation().teams.count
            try await Task.detached { try await writer.write { tx in try await tx.saveTeam(late) } }.value
            return (first, try await tx.organisation().teams.count)
        }
        #expect(first == second, "the read unit saw a team saved after it started")
        #expect(try await storage.organisation().teams.contains { $0.id == late.id })
    }

    /// Quota counting is exact when every storage admits concurrently (check and insert in one
    /// write unit per admission, as `QuotaService` does).
    static func quotaCountingIsExact(_ storages: [any ServerStorage], limit: Int) async throws {
        let staffId = UUID()
        let day = 20_000
        let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<(limit * 3) {
                let storage = storages[index % storages.count]
                group.addTask {
                    try await storage.write { tx in
                        guard try await tx.quotaCustomerCount(staffId: staffId, day: day) < limit else { return 0 }
                        try await tx.addQuotaCustomers([UUID()], staffId: staffId, day: day)
                        return 1
                    }
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(admitted == limit)
        for storage in storages {
            #expect(try await storage.quotaCustomerCount(staffId: staffId, day: day) == limit)
        }
        // A customer counts once a day, whoever counts it again.
        let known = try await storages[0].quotaCustomers(staffId: staffId, day: day, among: [UUID()])
        #expect(known.isEmpty)
    }

    /// The audit chain stays linear with concurrent writers on every storage.
    static func auditChainStaysLinear(_ storages: [any ServerStorage], directory: TemporaryDirectory) async throws {
        let services = storages.enumerated().map { index, storage in
            AuditService(
                storage: storage, keyFile: AuditKeyFile(path: directory.path("audit.key")), checkpointInterval: 7,
                logger: Logger(label: "contract-\(index)"))
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<60 {
                let audit = services[index % services.count]
                group.addTask { try await audit.record(.accessDenied, actor: nil, reason: "writer \(index)") }
            }
            try await group.waitForAll()
        }
        let entries = try await storages[0].auditEntries(after: 0, limit: 1_000)
        #expect(entries.map(\.sequence) == Array(1...60))
        let key = try AuditKeyFile(path: directory.path("audit.key")).loadOrCreate()
        let verified = AuditChain.verify(entries, checkpoints: try await storages[0].auditCheckpoints(), key: key)
        #expect(verified.problem == nil, "\(String(describing: verified.problem))")
        for audit in services { #expect(try await audit.verify().intact) }
    }

    /// Sign-in throttle counters written through one storage are what the other reads.
    static func throttleCountersAreShared(_ a: any ServerStorage, _ b: any ServerStorage) async throws {
        let now = Date(timeIntervalSince1970: 1_796_616_000)
        try await a.saveLoginFailures(
            LoginFailures(loginName: "Ana", source: LoginFailures.unfamiliarSource, count: 4, lastFailureAt: now))
        try await a.saveAddressFailures(AddressFailures(address: "203.0.113.9", count: 2, lastFailureAt: now))
        #expect(try await b.loginFailures(loginName: "ana", source: LoginFailures.unfamiliarSource)?.count == 4)
        #expect(try await b.addressFailures(address: "203.0.113.9")?.count == 2)
        try await b.clearAddressFailures(address: "203.0.113.9")
        #expect(try await a.addressFailures(address: "203.0.113.9") == nil)
    }
}

@Suite("Storage contract: units of work and shared counters")
struct StorageContractTests {
    /// Two storages on one SQLite file (two server instances).
    static func twoInstances() throws -> (TemporaryDirectory, SQLiteServerStorage, SQLiteServerStorage) {
        let directory = try TemporaryDirectory(prefix: "rapport-contract")
        let path = directory.path("rapport.sqlite")
        return (directory, try SQLiteServerStorage(path: path), try SQLiteServerStorage(path: path))
    }

    @Test("sync: a write unit that throws leaves nothing (in-memory reference)")
    func syncRollbackInMemory() async throws {
        try await SyncContract.writeUnitThatThrowsLeavesNothing(InMemorySyncStorage())
    }

    @Test("sync: a write unit that throws leaves nothing (SQLite)")
    func syncRollbackSQLite() async throws {
        let (directory, storage, _) = try Self.twoInstances()
        defer { directory.remove() }
        try await SyncContract.writeUnitThatThrowsLeavesNothing(storage)
    }

    @Test("sync: a read unit sees one snapshot while another writer commits (in-memory reference)")
    func syncSnapshotInMemory() async throws {
        try await SyncContract.readUnitSeesOneSnapshot(InMemorySyncStorage())
    }

    @Test("sync: a read unit sees one snapshot while another writer commits (SQLite)")
    func syncSnapshotSQLite() async throws {
        let (directory, storage, _) = try Self.twoInstances()
        defer { directory.remove() }
        try await SyncContract.readUnitSeesOneSnapshot(storage)
    }

    @Test("server: a write unit that throws leaves nothing (SQLite)")
    func serverRollback() async throws {
        let (directory, storage, _) = try Self.twoInstances()
        defer { directory.remove() }
        try await ServerContract.writeUnitThatThrowsLeavesNothing(storage)
    }

    @Test("server: a read unit sees one snapshot while another instance commits (SQLite)")
    func serverSnapshot() async throws {
        let (directory, a, b) = try Self.twoInstances()
        defer { directory.remove() }
        try await ServerContract.readUnitSeesOneSnapshot(a, writer: b)
    }

    @Test("server: quota counting is exact under concurrent increments from two instances (SQLite)")
    func quotaExact() async throws {
        let (directory, a, b) = try Self.twoInstances()
        defer { directory.remove() }
        try await ServerContract.quotaCountingIsExact([a, b], limit: 9)
    }

    @Test("server: the audit chain stays linear under concurrent writers on two instances (SQLite)")
    func auditLinear() async throws {
        let (directory, a, b) = try Self.twoInstances()
        defer { directory.remove() }
        try await ServerContract.auditChainStaysLinear([a, b], directory: directory)
    }

    @Test("server: sign-in throttle counters are shared between instances (SQLite)")
    func throttleShared() async throws {
        let (directory, a, b) = try Self.twoInstances()
        defer { directory.remove() }
        try await ServerContract.throttleCountersAreShared(a, b)
    }
}
