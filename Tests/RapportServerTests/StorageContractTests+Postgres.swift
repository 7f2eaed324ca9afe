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
}
