import Foundation
import GRDB
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Sync operations: bases, pages, acknowledgements, refusals")
struct SyncApplyTests {
    static func makeStore(_ directory: TemporaryDirectory, _ name: String = "sync.rapportdb") async throws -> EncryptedStore {
        try await EncryptedStore.create(at: directory.path(name), credentials: [.passcode("pin")], configuration: Fixture.configuration)
    }

    static func server(_ index: Int, version: Int64, points: Int64 = 0, name: String? = nil) throws -> RecordDocument {
        var customer = Fixture.customer(index, name: name)
        customer.version = version
        customer.loyaltyPoints = points
        return try RecordDocument(customer)
    }

    @Test("an entry keeps each field's value before its first edit; coalescing keeps it")
    func baseFields() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        try await store.applyPage(documents: [try Self.server(0, version: 2, points: 100)], cursor: "c1")
        var customer = try #require(try await store.entity(Customer.self, id: Fixture.customer(0).id))
        customer.loyaltyPoints = 110
        let first = try #require(try await store.save(customer, clock: "h1"))
        #expect(first.baseFields == ["loyaltyPoints": .int(100)])
        customer.loyaltyPoints = 125
        customer.name = "Renamed"
        let second = try #require(try await store.save(customer, clock: "h2"))
        #expect(second.mutationId == first.mutationId)
        #expect(second.fields["loyaltyPoints"] == .int(125))
        #expect(second.baseFields["loyaltyPoints"] == .int(100))
        #expect(second.baseFields["name"] == .string("Customer Number0"))
        // After markSending, a new entry bases on the local value (which includes the edit in flight).
        try await store.markSending([second.mutationId])
        customer.loyaltyPoints = 130
        let third = try #require(try await store.save(customer, clock: "h3"))
        #expect(third.mutationId != second.mutationId)
        #expect(third.baseFields == ["loyaltyPoints": .int(125)])
    }

    @Test("a page is applied with its cursor in one transaction; a bad document leaves nothing applied")
    func pageAtomicity() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        try await store.applyPage(documents: [try Self.server(0, version: 1), try Self.server(1, version: 1)], cursor: "c1")
        #expect(try await store.syncCursor() == "c1")

        var broken = try Self.server(3, version: 1)
        broken.json = "not json"
        await #expect(throws: StoreError.self) {
            try await store.applyPage(
                documents: [try Self.server(2, version: 1), broken], deletions: [Fixture.customer(0).id],
                evictions: [Fixture.customer(1).id], cursor: "c2")
        }
        #expect(try await store.syncCursor() == "c1")
        #expect(try await store.document(id: Fixture.customer(0).id) != nil)
        #expect(try await store.document(id: Fixture.customer(1).id) != nil)
        #expect(try await store.document(id: Fixture.customer(2).id) == nil)

        // The same page without the damaged document: deletion, eviction and cursor together.
        var customer = Fixture.customer(1)
        customer.name = "edited before eviction"
        try await store.save(customer, clock: "h1")
        let outcome = try await store.applyPage(
            documents: [try Self.server(2, version: 1)], deletions: [Fixture.customer(0).id], evictions: [Fixture.customer(1).id],
            cursor: "c2")
        #expect(try await store.syncCursor() == "c2")
        #expect(try await store.document(id: Fixture.customer(0).id) == nil)
        #expect(try await store.document(id: Fixture.customer(1).id) == nil)
        #expect(try await store.shadow(id: Fixture.customer(1).id) == nil)
        #expect(try await store.outbox().isEmpty)
        #expect(outcome.purged.map(\.discardedEntries) == [0, 1])
        #expect(outcome.purged.map(\.wasKnown) == [true, true])
    }

    @Test("the cursor survives a restart inside the encrypted store; a reset clears it with the server data")
    func cursorAndReset() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try await Self.makeStore(directory)
        try await store.applyPage(documents: [try Self.server(0, version: 1), try Self.server(1, version: 1)], cursor: "c9")
        try await store.recordSyncSuccess(millis: 1234)
        var edited = Fixture.customer(1)
        edited.name = "pending"
        try await store.save(edited, clock: "h1")
        try await store.close()
        store = try await EncryptedStore.open(at: directory.path("sync.rapportdb"), credential: .passcode("pin"), configuration: Fixture.configuration)
        #expect(try await store.syncCursor() == "c9")
        #expect(try await store.lastSyncSuccessMillis() == 1234)
        let purged = try await store.resetSyncState()
        #expect(purged.map(\.id) == [Fixture.customer(0).id])
        #expect(try await store.syncCursor() == nil)
        #expect(try await store.document(id: Fixture.customer(1).id)?.name == "pending")
    }

    @Test("replaceLocal writes the local state without an outbox entry and keeps the server state apart")
    func replaceLocal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        let server = try Self.server(0, version: 4, points: 10)
        try await store.applyPage(documents: [server], cursor: "c1")
        let local = try Self.server(0, version: 4, points: 15, name: "Merged view")
        try await store.replaceLocal(local)
        #expect(try await store.document(id: server.id)?.name == "Merged view")
        #expect(try await store.outbox().isEmpty)
        #expect(try await store.shadow(id: server.id)?.json == server.json)
    }

    @Test("acknowledge: entries removed, shadow updated, local rebased over a later edit, refusal kept across a restart")
    func acknowledge() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        var store = try await Self.makeStore(directory)
        try await store.applyPage(documents: [try Self.server(0, version: 1, points: 100), try Self.server(1, version: 1)], cursor: "c1")
        var customer = try #require(try await store.entity(Customer.self, id: Fixture.customer(0).id))
        customer.loyaltyPoints = 110
        let sent = try #require(try await store.save(customer, clock: "h1"))
        try await store.markSending([sent.mutationId])
        customer.name = "Edited while sending"
        let later = try #require(try await store.save(customer, clock: "h2"))
        var refused = Fixture.customer(1)
        refused.name = ""
        let refusedEntry = try #require(try await store.save(refused, clock: "h3"))

        // The server merged the first edit with another device's +30.
        let merged = try Self.server(0, version: 2, points: 140)
        let rollback = try Self.server(1, version: 1)
        let rejection = RejectedMutation(
            mutationId: refusedEntry.mutationId, kind: .customer, recordId: refused.id, operation: .update,
            fields: refusedEntry.fields, reasonCode: "validation", message: "a name is required", field: "name",
            serverDocument: rollback, rejectedAt: Date(timeIntervalSince1970: 1_700_000_000))
        let outcome = try await store.acknowledge(
            PushAcknowledgement(mutationIds: [sent.mutationId, refusedEntry.mutationId], documents: [merged, rollback], rejections: [rejection]),
            rebase: { server, entries in
                var document = server
                document.name = entries.last?.fields["name"]?.stringValue
                return LocalRebase(document: document)
            })
        #expect(outcome.kept == [customer.id])
        #expect(outcome.rebased == [customer.id])
        #expect(try await store.outbox().map(\.mutationId) == [later.mutationId])
        #expect(try await store.shadow(id: customer.id)?.version == 2)
        #expect(try await store.document(id: customer.id)?.name == "Edited while sending")
        #expect(try await store.entity(Customer.self, id: customer.id)?.loyaltyPoints == 140)
        #expect(try await store.document(id: refused.id)?.name == "Customer Number1")
        #expect(try await store.outboxInconsistencies().recordsWithoutEntry.isEmpty)

        try await store.close()
        store = try await EncryptedStore.open(at: directory.path("sync.rapportdb"), credential: .passcode("pin"), configuration: Fixture.configuration)
        let stored = try await store.rejectedMutations()
        #expect(stored.map(\.mutationId) == [refusedEntry.mutationId])
        #expect(stored.first?.reasonCode == "validation")
        #expect(stored.first?.serverDocument?.name == "Customer Number1")
        try await store.removeRejectedMutations()
        #expect(try await store.rejectedMutations().isEmpty)
    }

    @Test("migration v3 moves bases smuggled in clock strings into baseFields")
    func legacyBasesMigrate() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        try await store.applyPage(documents: [try Self.server(0, version: 1, points: 100)], cursor: "c1")
        var customer = Fixture.customer(0)
        customer.version = 1
        customer.loyaltyPoints = 105
        customer.name = "new"
        let entry = try #require(try await store.save(customer, clock: "x"))
        let stamp = #"{"b":{"loyaltyPoints":100},"h":"1772358600250-00000-dev"}"#
        try await store.write { db in
            try db.execute(
                sql: "UPDATE outbox SET baseFields = '{}', clock = ?, fieldClocks = ? WHERE mutationId = ?",
                arguments: [stamp, #"{"loyaltyPoints":"# + Self.quoted(stamp) + #","name":"1772358600250-00000-dev"}"#, entry.mutationId])
            try LegacyOutboxMigration.moveBases(in: db)
        }
        let migrated = try #require(try await store.outbox().first)
        #expect(migrated.clock == "1772358600250-00000-dev")
        #expect(migrated.fieldClocks["loyaltyPoints"] == "1772358600250-00000-dev")
        #expect(migrated.baseFields["loyaltyPoints"] == .int(100))
        #expect(migrated.baseFields["name"] == .string("Customer Number0"))
    }

    static func quoted(_ text: String) -> String {
        String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    }
}
