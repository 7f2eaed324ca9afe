import Foundation
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// The storage contract (``SyncContract``, ``ServerContract``) on PostgreSQL: each test in a
/// schema of its own, two storages on it standing for two server instances. Skipped, with the
/// reason printed, unless `RAPPORT_TEST_POSTGRES_URL` names a database (`.ci/run` sets it).
@Suite(
    "Storage contract on PostgreSQL",
    .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
struct PostgresStorageContractTests {
    /// Runs `body` with two storages on a fresh schema, then drops it.
    static func withTwoInstances(
        _ body: (PostgresServerStorage, PostgresServerStorage) async throws -> Void
    ) async throws {
        let database = try await PostgresTestDatabase()
        let a = try await database.storage()
        let b = try await database.storage()
        do {
            try await body(a, b)
        } catch {
            a.shutdown()
            b.shutdown()
            try? await database.drop()
            throw error
        }
        a.shutdown()
        b.shutdown()
        try await database.drop()
    }

    @Test("sync: a write unit that throws leaves nothing (PostgreSQL)")
    func syncRollback() async throws {
        try await Self.withTwoInstances { a, _ in try await SyncContract.writeUnitThatThrowsLeavesNothing(a) }
    }

    @Test("sync: a read unit sees one snapshot while another writer commits (PostgreSQL)")
    func syncSnapshot() async throws {
        try await Self.withTwoInstances { a, _ in try await SyncContract.readUnitSeesOneSnapshot(a) }
    }

    @Test("server: a write unit that throws leaves nothing (PostgreSQL)")
    func serverRollback() async throws {
        try await Self.withTwoInstances { a, _ in try await ServerContract.writeUnitThatThrowsLeavesNothing(a) }
    }

    @Test("server: a read unit sees one snapshot while another instance commits (PostgreSQL)")
    func serverSnapshot() async throws {
        try await Self.withTwoInstances { a, b in try await ServerContract.readUnitSeesOneSnapshot(a, writer: b) }
    }

    @Test("server: quota counting is exact under concurrent increments from two instances (PostgreSQL)")
    func quotaExact() async throws {
        try await Self.withTwoInstances { a, b in try await ServerContract.quotaCountingIsExact([a, b], limit: 9) }
    }

    @Test("server: the audit chain stays linear under concurrent writers on two instances (PostgreSQL)")
    func auditLinear() async throws {
        let directory = try TemporaryDirectory(prefix: "rapport-pg-contract")
        defer { directory.remove() }
        try await Self.withTwoInstances { a, b in
            try await ServerContract.auditChainStaysLinear([a, b], directory: directory)
        }
    }

    @Test("server: sign-in throttle counters are shared between instances (PostgreSQL)")
    func throttleShared() async throws {
        try await Self.withTwoInstances { a, b in try await ServerContract.throttleCountersAreShared(a, b) }
    }

    @Test("sync: concurrent writers on two instances, pullers reading to the stable sequence: every change exactly once")
    func changeLogExactlyOnce() async throws {
        try await Self.withTwoInstances { a, b in
            let storages: [any SyncServerStorage] = [a, b]
            let writing = Flag()
            writing.set()
            let pullers = Task {
                try await withThrowingTaskGroup(of: [Int64].self) { group in
                    for puller in 0..<3 {
                        group.addTask {
                            var cursor: Int64 = 0
                            var seen: [Int64] = []
                            var turn = puller
                            while true {
                                let done = !writing.isSet
                                let storage = storages[turn % 2]
                                let after = cursor
                                turn += 1
                                let (stable, page) = try await storage.syncRead { tx in
                                    let stable = try await tx.stableSequence()
                                    return (stable, try await tx.changes(after: after, upTo: stable, limit: 5))
                                }
                                seen += page.map(\.sequence)
                                cursor = page.count == 5 ? page.last!.sequence : stable
                                if done && page.count < 5 { return seen }
                            }
                        }
                    }
                    var all: [[Int64]] = []
                    for try await seen in group { all.append(seen) }
                    return all
                }
            }
            let committed = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for writer in 0..<6 {
                    group.addTask {
                        var sequences: [Int64] = []
                        for n in 0..<20 {
                            let storage = storages[(writer + n) % 2]
                            sequences.append(
                                try await storage.syncWrite { tx in try await SyncContract.commit(SyncContract.record(), in: tx) })
                        }
                        return sequences
                    }
                }
                var all: [Int64] = []
                for try await sequences in group { all += sequences }
                return all
            }
            writing.clear()
            #expect(Set(committed).count == 120)
            #expect(committed.sorted() == Array(1...120), "sequences are gap-free and unique")
            for (index, seen) in try await pullers.value.enumerated() {
                #expect(seen == Array(1...120), "puller \(index) saw \(seen.count) sequences, not each of 1…120 once in order")
            }
        }
    }
}

/// A flag shared by a test's tasks.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
    func clear() { lock.withLock { value = false } }
}
