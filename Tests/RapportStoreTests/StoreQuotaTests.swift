import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
import Testing

@testable import RapportStore

/// A device store filled to its size limit (issue 17, "Client side"): the edit that does not
/// fit is refused with a typed error, nothing of it is kept, and the store stays sound.
@Suite("Store size limit")
struct StoreQuotaTests {
    @Test func anEditBeyondTheLimitIsRefusedWholeAndTheStoreStaysSound() async throws {
        let directory = try TemporaryDirectory(prefix: "rapport-store-quota")
        defer { directory.remove() }
        let path = directory.path("store.rapportdb")
        var configuration = Fixture.configuration
        configuration.maximumSizeBytes = 384 * 1024
        let store = try await EncryptedStore.create(
            at: path, credentials: [.passcode("1234-5678")], configuration: configuration)

        // Fill it: customers with a long note each, until the store refuses one.
        var saved = 0
        var refusal: StoreError?
        for index in 0..<10_000 {
            do {
                try await store.save(
                    Fixture.customer(index, notes: String(repeating: "n", count: 2_000) + "\(index)"),
                    clock: "c\(index)")
                saved += 1
            } catch let error as StoreError {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "the store took 10,000 customers under a 384 KiB limit")
        #expect(error.code == .storeFull, "\(error)")
        #expect(error.message.contains("not saved") && error.message.contains("sync"), "\(error.message)")
        #expect(saved > 5, "the limit refused almost at once (\(saved) saved)")

        // Nothing of the refused edit is there; everything before it is, with its outbox entry.
        #expect(try await store.document(id: Fixture.customer(saved).id) == nil)
        #expect(try await store.outbox().count == saved)
        #expect(try await store.checkIntegrity() == ["ok"])
        let inconsistencies = try await store.outboxInconsistencies()
        #expect(inconsistencies.recordsWithoutEntry.isEmpty && inconsistencies.entriesWithoutRecord.isEmpty)
        // An edit far larger than the room left is refused the same way, and leaves nothing.
        let large = Fixture.customer(saved, notes: String(repeating: "x", count: 300_000))
        let second = await Fixture.expectStoreError(.storeFull) { _ = try await store.save(large, clock: "large") }
        #expect(second != nil)
        #expect(try await store.document(id: large.id) == nil)
        #expect(try await store.outbox().count == saved)
        try await store.close()

        // Reopened with room to spare, the same edit goes in and everything reads back.
        configuration.maximumSizeBytes = 64 << 20
        let reopened = try await EncryptedStore.open(
            at: path, credential: .passcode("1234-5678"), configuration: configuration)
        try await reopened.save(Fixture.customer(saved), clock: "c\(saved)")
        #expect(try await reopened.outbox().count == saved + 1)
        for index in 0...saved {
            #expect(try await reopened.document(id: Fixture.customer(index).id) != nil, "customer \(index) missing")
        }
        #expect(try await reopened.checkIntegrity() == ["ok"])
        try await reopened.close()
    }
}
