import Foundation
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Outbox")
struct OutboxTests {
    static func makeStore(_ directory: TemporaryDirectory) async throws -> EncryptedStore {
        try await EncryptedStore.create(
            at: directory.path("outbox.rapportdb"), credentials: [.passcode("pin")], configuration: Fixture.configuration)
    }

    @Test("a create records every set field; a later edit of the same field replaces it in the create")
    func createThenUpdateCoalesce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        var customer = Fixture.customer(1)
        let created = try #require(try await store.save(customer, clock: "t1"))
        #expect(created.operation == .create)
        #expect(created.baseVersion == 0)
        #expect(created.fields["name"] == .string("Customer Number1"))
        customer.name = "Renamed"
        customer.notes = "second"
        let coalesced = try #require(try await store.save(customer, clock: "t2"))
        #expect(coalesced.mutationId == created.mutationId)
        #expect(coalesced.operation == .create)
        #expect(coalesced.fields["name"] == .string("Renamed"))
        #expect(coalesced.fields["notes"] == .string("second"))
        #expect(coalesced.fieldClocks["name"] == "t2")
        #expect(coalesced.fieldClocks["ownerId"] == "t1")
        #expect(try await store.outbox().count == 1)
        // Saving the same state again changes nothing.
        #expect(try await store.save(customer, clock: "t3") == nil)
        try await store.close()
    }

    @Test("edits of a synced record coalesce per field; an edit after sending gets its own entry")
    func updatesCoalesce() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        var customer = Fixture.customer(2)
        customer.version = 7
        try await store.applyServerRecords([customer])
        #expect(try await store.shadow(id: customer.id)?.version == 7)
        #expect(try await store.outbox().isEmpty)

        customer.name = "First edit"
        let first = try #require(try await store.save(customer, clock: "a"))
        #expect(first.operation == .update)
        #expect(first.baseVersion == 7)
        #expect(Set(first.fields.keys) == ["name"])
        customer.name = "Second edit"
        customer.code = "X1"
        let second = try #require(try await store.save(customer, clock: "b"))
        #expect(second.mutationId == first.mutationId)
        #expect(second.fields == ["name": .string("Second edit"), "code": .string("X1")])

        try await store.markSending([second.mutationId])
        customer.notes = "after send"
        let third = try #require(try await store.save(customer, clock: "c"))
        #expect(third.mutationId != second.mutationId)
        #expect(Set(third.fields.keys) == ["notes"])
        let outbox = try await store.outbox()
        #expect(outbox.map(\.state) == [.sending, .pending])
        try await store.removeFromOutbox([second.mutationId])
        #expect(try await store.outbox().count == 1)
        // Server state does not overwrite a record with unsynced local edits.
        var server = Fixture.customer(2)
        server.version = 8
        let kept = try await store.applyServerRecords([server])
        #expect(kept == [customer.id])
        #expect(try await store.entity(Customer.self, id: customer.id)?.notes == "after send")
        try await store.close()
    }

    @Test("create then delete cancel out; update then delete is a delete; a deleted record cannot be edited")
    func deletes() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.makeStore(directory)
        let local = Fixture.customer(3)
        try await store.save(local, clock: "a")
        try await store.delete(.customer, id: local.id, clock: "b")
        #expect(try await store.outbox().isEmpty)
        #expect(try await store.document(id: local.id) == nil)

        var synced = Fixture.customer(4)
        synced.version = 3
        try await store.applyServerRecords([synced])
        synced.name = "Edited"
        try await store.save(synced, clock: "c")
        try await store.delete(.customer, id: synced.id, clock: "d")
        let outbox = try await store.outbox()
        #expect(outbox.count == 1)
        #expect(outbox.first?.operation == .delete)
        #expect(outbox.first?.fields.isEmpty == true)
        #expect(outbox.first?.baseVersion == 3)
        #expect(try await store.document(id: synced.id)?.isDeleted == true)
        #expect(try await store.entity(Customer.self, id: synced.id) == nil)
        #expect(await Fixture.expectStoreError(.recordDeleted) { try await store.save(synced, clock: "e") } != nil)
        #expect(await Fixture.expectStoreError(.notFound) { try await store.delete(.customer, id: UUID(), clock: "f") } != nil)
        let problems = try await store.outboxInconsistencies()
        #expect(problems.recordsWithoutEntry.isEmpty && problems.entriesWithoutRecord.isEmpty)
        try await store.close()
    }
}
