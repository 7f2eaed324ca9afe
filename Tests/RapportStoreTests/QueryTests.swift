import Foundation
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Queries, search and observation")
struct QueryTests {
    static func seeded(_ directory: TemporaryDirectory) async throws -> EncryptedStore {
        let store = try await EncryptedStore.create(
            at: directory.path("query.rapportdb"), credentials: [.passcode("pin")], configuration: Fixture.configuration)
        var customers = [
            Fixture.customer(1, name: "Li Wei", tier: .key, notes: "prefers green tea", company: "Hangzhou Silk"),
            Fixture.customer(2, name: "Liu Yang", owner: Fixture.otherOwner, tier: .normal, company: "Ningbo Port"),
            Fixture.customer(3, name: "Zhang Min", tier: .small, notes: "met at the Canton fair", company: "Café Müller"),
            Fixture.customer(4, name: "liang qing", tier: .key, company: "Suzhou Gardens"),
        ]
        customers[3].updatedAt = Fixture.created.addingTimeInterval(86_400)
        try await store.applyServerRecords(customers)
        return store
    }

    @Test("customers by owner, tier, name prefix and update time")
    func typedQueries() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.seeded(directory)
        let mine = try await store.entities(Customer.self, RecordQuery(kind: .customer, ownerId: Fixture.owner))
        #expect(mine.map(\.name) == ["Li Wei", "liang qing", "Zhang Min"])
        let key = try await store.records(RecordQuery(kind: .customer, tier: ValueTier.key.rawValue))
        #expect(Set(key.compactMap(\.name)) == ["Li Wei", "liang qing"])
        let prefix = try await store.records(RecordQuery(kind: .customer, namePrefix: "li"))
        #expect(prefix.compactMap(\.name) == ["Li Wei", "liang qing", "Liu Yang"])
        let recent = try await store.records(
            RecordQuery(kind: .customer, updatedSince: Fixture.created.addingTimeInterval(3_600)))
        #expect(recent.compactMap(\.name) == ["liang qing"])
        let byJSON = try await store.count(RecordQuery(kind: .customer, jsonField: .init(path: "$.name", value: "Zhang Min")))
        #expect(byJSON == 1)
        #expect(try await store.entity(Customer.self, id: Fixture.customer(2).id)?.name == "Liu Yang")
        try await store.close()
    }

    @Test("full-text search over names, companies and notes, with prefixes and without accents")
    func fullTextSearch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.seeded(directory)
        #expect(try await store.search("green tea").compactMap(\.name) == ["Li Wei"])
        #expect(try await store.search("ningbo").compactMap(\.name) == ["Liu Yang"])
        #expect(try await store.search("cafe muller").compactMap(\.name) == ["Zhang Min"])
        #expect(Set(try await store.search("li").compactMap(\.name)) == ["Li Wei", "liang qing", "Liu Yang"])
        #expect(try await store.search("person2@secret").compactMap(\.name) == ["Liu Yang"])
        #expect(try await store.search("nothing-like-this").isEmpty)
        try await store.delete(.customer, id: Fixture.customer(1).id, clock: "x")
        #expect(try await store.search("green").isEmpty)
        try await store.close()
    }

    @Test("an observed query delivers the current value, then each change")
    func observation() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await Self.seeded(directory)
        let stream = try await store.observe(RecordQuery(kind: .customer, ownerId: Fixture.otherOwner))
        var iterator = stream.makeAsyncIterator()
        let initial = try #require(try await iterator.next())
        #expect(initial.compactMap(\.name) == ["Liu Yang"])
        try await store.save(Fixture.customer(9, name: "Ma Lin", owner: Fixture.otherOwner), clock: "c")
        let changed = try #require(try await iterator.next())
        #expect(changed.compactMap(\.name) == ["Liu Yang", "Ma Lin"])
        try await store.close()
    }
}
