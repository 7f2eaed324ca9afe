import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
import Testing
@_spi(Benchmarking) @testable import RapportStore

@Suite("Encryption at rest")
struct EncryptionAtRestTests {
    @Test("no plaintext of any record in the database or WAL, while open and after close")
    func noPlaintextInDatabaseOrWAL() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("store.rapportdb")
        let store = try await EncryptedStore.create(at: path, credentials: [.passcode("pin")], configuration: Fixture.configuration)
        for index in 0..<40 {
            try await store.save(Fixture.customer(index), clock: "c")
        }
        // While open, the latest pages live in the WAL.
        let walWhileOpen = Fixture.bytes(path + "-wal")
        #expect(walWhileOpen.count > 100_000)
        let dbWhileOpen = Fixture.bytes(path)
        try await store.close()
        let dbAfterClose = Fixture.bytes(path)
        #expect(dbAfterClose.count > 0)
        for index in 0..<40 {
            for needle in Fixture.needles(index) {
                #expect(!Fixture.contains(walWhileOpen, needle), "WAL leaks \(needle)")
                #expect(!Fixture.contains(dbWhileOpen, needle), "database leaks \(needle)")
                #expect(!Fixture.contains(dbAfterClose, needle), "database leaks \(needle)")
            }
        }
        #expect(!Fixture.contains(dbAfterClose, "SQLite format 3"))
        #expect(!Fixture.contains(dbAfterClose, "CREATE TABLE"))
    }

    @Test("the same workload on plain SQLite does show the values (the search is meaningful)")
    func plainControlShowsValues() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("plain.sqlite")
        let store = try await EncryptedStore.openUnencrypted(at: path, configuration: Fixture.configuration)
        try await store.save(Fixture.customer(7), clock: "c")
        try await store.close()
        let bytes = Fixture.bytes(path)
        for needle in Fixture.needles(7) {
            #expect(Fixture.contains(bytes, needle))
        }
    }

    @Test("no plaintext in the rollback journal")
    func noPlaintextInJournal() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("journal.rapportdb")
        var configuration = Fixture.configuration
        configuration.journal = .persistentRollback
        let store = try await EncryptedStore.create(at: path, credentials: [.passcode("pin")], configuration: configuration)
        for index in 0..<20 {
            try await store.save(Fixture.customer(index), clock: "c")
        }
        // Updates journal the old page images, which hold the records above.
        for index in 0..<20 {
            var customer = Fixture.customer(index)
            customer.code = "changed"
            try await store.save(customer, clock: "d")
        }
        let journal = Fixture.bytes(path + "-journal")
        #expect(journal.count > PageLayout.pageSize)
        let count = try await store.count(RecordQuery(kind: .customer))
        #expect(count == 20)
        try await store.close()
        let database = Fixture.bytes(path)
        for index in 0..<20 {
            for needle in Fixture.needles(index) {
                #expect(!Fixture.contains(journal, needle), "journal leaks \(needle)")
                #expect(!Fixture.contains(database, needle), "database leaks \(needle)")
            }
        }
        let reopened = try await EncryptedStore.open(at: path, credential: .passcode("pin"), configuration: configuration)
        #expect(try await reopened.entity(Customer.self, id: Fixture.customer(3).id)?.code == "changed")
        try await reopened.close()
    }

    @Test("the key file holds no key in the clear, and plain SQLite cannot read the database")
    func keyFileAndDatabaseOpaque() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let key = SymmetricKey.generate()
        let path = directory.path("store.rapportdb")
        let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: Fixture.configuration)
        try await store.save(Fixture.customer(1), clock: "c")
        try await store.close()
        let keyFile = Fixture.bytes(path + ".keys")
        let keyHex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        let keyBase64 = key.withUnsafeBytes { Data($0).base64EncodedString() }
        #expect(!Fixture.contains(keyFile, keyHex))
        #expect(!Fixture.contains(keyFile, keyBase64))
        let plainOpen = await Fixture.expectStoreError(.notARapportStore) {
            let plain = try await EncryptedStore.openUnencrypted(at: path, configuration: Fixture.configuration)
            _ = try await plain.count(RecordQuery(kind: .customer))
        }
        #expect(plainOpen != nil)
    }

    @Test("a transaction larger than the page cache (spilled, rewritten WAL frames) survives a reopen")
    func largeTransaction() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("large.rapportdb")
        let key = SymmetricKey.generate()
        var configuration = Fixture.configuration
        configuration.pageCacheKiB = 64
        let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)], configuration: configuration)
        let documents = try (0..<1500).map { try RecordDocument(Fixture.customer($0)) }
        try await store.applyServerDocuments(documents)
        try await store.applyServerDocuments(Array(documents.reversed()))
        try await store.close()
        let reopened = try await EncryptedStore.open(at: path, credential: .platformKey(key), configuration: configuration)
        #expect(try await reopened.count(RecordQuery(kind: .customer)) == 1500)
        #expect(try await reopened.checkIntegrity() == ["ok"])
        try await reopened.close()
    }
}
