import Foundation
import GRDB
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Server shadow, copy-on-write")
struct ShadowTests {
    static func shadowRowCount(_ store: EncryptedStore) async throws -> Int {
        try await store.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM server_shadow") ?? -1 }
    }

    @Test("no shadow row while a record equals the server state; the first local edit creates it")
    func copyOnWrite() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await EncryptedStore.create(
            at: directory.path("shadow.rapportdb"), credentials: [.passcode("pin")], configuration: Fixture.configuration)
        var customers = (0..<5).map { index in
            var customer = Fixture.customer(index)
            customer.version = 3
            return customer
        }
        try await store.applyServerRecords(customers)
        #expect(try await Self.shadowRowCount(store) == 0)
        let server = try #require(try await store.shadow(id: customers[0].id))
        #expect(server.version == 3)
        #expect(server.json == (try await store.document(id: customers[0].id))?.json)
        #expect(try await store.outboxInconsistencies().recordsWithoutEntry.isEmpty)

        // A local edit: the old server state moves to a shadow row; the outbox bases on it.
        customers[0].name = "Edited locally"
        let entry = try #require(try await store.save(customers[0], clock: "t1"))
        #expect(entry.baseVersion == 3)
        #expect(try await Self.shadowRowCount(store) == 1)
        #expect(try await store.shadow(id: customers[0].id) == server)
        #expect(try await store.document(id: customers[0].id)?.name == "Edited locally")

        // Server news for the edited record is kept apart; local state stays.
        var newer = Fixture.customer(0)
        newer.version = 4
        newer.notes = "server side"
        let kept = try await store.applyServerRecords([newer])
        #expect(kept == [customers[0].id])
        #expect(try await store.shadow(id: customers[0].id)?.version == 4)
        #expect(try await store.document(id: customers[0].id)?.name == "Edited locally")

        // Once pushed and acknowledged, the next server state replaces record and shadow row.
        try await store.removeFromOutbox([entry.mutationId])
        newer.version = 5
        newer.name = "Edited locally"
        try await store.applyServerRecords([newer])
        #expect(try await Self.shadowRowCount(store) == 0)
        #expect(try await store.shadow(id: customers[0].id)?.version == 5)

        // A local delete of an in-sync record also keeps its server state.
        try await store.delete(.customer, id: customers[1].id, clock: "t2")
        #expect(try await store.shadow(id: customers[1].id)?.version == 3)
        #expect(try await store.outbox().last?.baseVersion == 3)

        // A server deletion purges the record; the shadow then holds the deleted document.
        var gone = customers[2]
        gone.deletedAt = Fixture.created
        gone.version = 6
        try await store.applyServerRecords([gone])
        #expect(try await store.document(id: gone.id) == nil)
        #expect(try await store.shadow(id: gone.id)?.version == 6)

        // A record created locally has no server state.
        let local = Fixture.customer(99)
        try await store.save(local, clock: "t3")
        #expect(try await store.shadow(id: local.id) == nil)
        let check = try await store.outboxInconsistencies()
        #expect(check.recordsWithoutEntry.isEmpty)
        #expect(check.entriesWithoutRecord.isEmpty)
        try await store.close()
    }

    @Test("migration v2 turns shadow rows equal to their record into in-sync records")
    func migrationFromV1() throws {
        let queue = try DatabaseQueue()
        try StoreSchema.migrator.migrate(queue, upTo: "v1")
        let same = UUID()
        let edited = UUID()
        try queue.write { db in
            for (id, document) in [(same, "{\"a\":1}"), (edited, "{\"a\":2}")] {
                try db.execute(
                    sql: "INSERT INTO record (id, kind, updatedAt, version, document) VALUES (?, 'customer', 0, 2, ?)",
                    arguments: [id, document])
                try db.execute(
                    sql: "INSERT INTO server_shadow (id, kind, version, document) VALUES (?, 'customer', 2, '{\"a\":1}')",
                    arguments: [id])
            }
        }
        try StoreSchema.migrator.migrate(queue)
        try queue.read { db in
            #expect(try Bool.fetchOne(db, sql: "SELECT inSync FROM record WHERE id = ?", arguments: [same]) == true)
            #expect(try Bool.fetchOne(db, sql: "SELECT inSync FROM record WHERE id = ?", arguments: [edited]) == false)
            #expect(try UUID.fetchAll(db, sql: "SELECT id FROM server_shadow") == [edited])
            // The partial customer index still serves `customerId = ?`.
            let plan = try Row.fetchAll(
                db, sql: "EXPLAIN QUERY PLAN SELECT * FROM record WHERE customerId = ?", arguments: [UUID()]
            ).map { $0["detail"] as String? ?? "" }
            #expect(plan.joined().contains("record_customer"))
        }
    }
}
