import Foundation
import GRDB
import RapportCrypto
import RapportModels
import RapportTesting
import Testing

@_spi(Benchmarking) @testable import RapportStore

@Suite("Decrypt-ahead of sequential page reads")
struct DecryptAheadTests {
    static let pageSize = PageLayout.pageSize

    /// The fixture configuration with decrypt-ahead done by the reading thread (deterministic:
    /// pages are always taken from the buffer) or by the background thread (which may not get
    /// a core while the tests run in parallel, so nothing is asserted about its counts).
    static func configuration(inline: Bool) -> StoreConfiguration {
        var configuration = Fixture.configuration
        configuration.decryptAhead = inline ? .inline : .background
        return configuration
    }

    /// Customers of about one page each, all carrying `marker` in their notes.
    static func documents(count: Int, marker: String) throws -> [RecordDocument] {
        let filler = String(repeating: "lorem ipsum ", count: 100)
        return try (0..<count).map { index in
            try RecordDocument(Fixture.customer(index, notes: "<\(marker)> \(filler)"))
        }
    }

    /// The distinct markers in the documents, and how many documents there are.
    static func markers(_ documents: [String]) -> (Set<String>, Int) {
        var found: Set<String> = []
        for document in documents {
            guard let open = document.range(of: "<gen-"), let close = document[open.upperBound...].firstIndex(of: ">")
            else {
                found.insert("none")
                continue
            }
            found.insert(String(document[open.upperBound..<close]))
        }
        return (found, documents.count)
    }

    @Test("a page decrypted ahead is served once, never after a write to the file, never if it failed")
    func bufferRules() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("pages.bin")
        let entry = try VFSKeyRegistry.register(pageKey: .generate(), fileId: SecureRandom.bytes(count: 16))
        defer { VFSKeyRegistry.remove(entry) }
        // 60 pages; page n holds the byte n in its usable area.
        var file: [UInt8] = []
        try EncryptedFile.withDetachedCodec(role: .main, entry: entry) { codec in
            for page in 1...60 {
                var plain = [UInt8](repeating: UInt8(page), count: Self.pageSize)
                for index in PageLayout.usableByteCount..<Self.pageSize { plain[index] = 0 }
                var sealed = [UInt8](repeating: 0, count: Self.pageSize)
                let done = plain.withUnsafeBytes { source in
                    sealed.withUnsafeMutableBytes { destination in
                        codec.seal(
                            source.baseAddress!, into: destination.baseAddress!, page: UInt32(page), frameOffset: nil)
                    }
                }
                #expect(done)
                file += sealed
            }
        }
        file[29 * Self.pageSize + 100] ^= 0x01  // page 30 altered
        try Data(file).write(to: URL(fileURLWithPath: path))

        let state = try #require(MainFileState.acquire(path: path))
        defer { state.release() }
        #expect(state.descriptor >= 0)
        // Inline: the pages are decrypted when asked for, so the test does not depend on
        // the background thread getting a core.
        let readAhead = try PageReadAhead(file: state, entry: entry, inline: true)
        var page = [UInt8](repeating: 0, count: Self.pageSize)
        #expect(!readAhead.take(page: 1, into: &page))
        // Two pages in a row: pages 3...42 are decrypted ahead (page 30 fails).
        #expect(!readAhead.take(page: 2, into: &page))
        #expect(entry.readAheadCounts.decrypted == 39)

        #expect(readAhead.take(page: 3, into: &page))
        #expect(page[0..<PageLayout.usableByteCount].allSatisfy { $0 == 3 })
        #expect(!readAhead.take(page: 3, into: &page), "a buffered page is handed out once")

        state.bumpGeneration()  // a write through any handle of the file
        #expect(!readAhead.take(page: 4, into: &page), "stale after a write")
        #expect(!readAhead.take(page: 30, into: &page), "a page that failed in the background is redone by the reader")
        #expect(readAhead.take(page: 31, into: &page) == false, "still stale")

        readAhead.invalidate()
        #expect(!readAhead.take(page: 32, into: &page), "dropped at a lock change")
        #expect(entry.readAheadCounts.taken == 1)
    }

    @Test(
        "scans that decrypt ahead see one consistent state while another connection writes and checkpoints",
        arguments: [true, false])
    func scanDuringWritesAndCheckpoints(inline: Bool) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("scan.rapportdb")
        let key = SymmetricKey.generate()
        let count = 300
        let store = try await EncryptedStore.create(
            at: path, credentials: [.platformKey(key)], configuration: Self.configuration(inline: inline))
        _ = try await store.applyServerDocuments(Self.documents(count: count, marker: "gen-0"))
        try await store.writer().writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
        let generations = 12

        let writer = Task {
            for generation in 1...generations {
                // Every record rewritten in place (same rowids, same pages) in one transaction.
                _ = try await store.applyServerDocuments(Self.documents(count: count, marker: "gen-\(generation)"))
                try await store.writer().writeWithoutTransaction { _ = try $0.checkpoint(.passive) }
            }
        }
        var scans = 0
        var seen: Set<String> = []
        repeat {
            let documents = try await store.read { db in try String.fetchAll(db, sql: "SELECT document FROM record") }
            let (markers, rows) = Self.markers(documents)
            #expect(rows == count)
            #expect(markers.count == 1, "one scan saw \(markers.sorted())")
            seen.formUnion(markers)
            scans += 1
        } while !seen.contains("\(generations)") && scans < 500
        try await writer.value
        let final = try await store.read { db in try String.fetchAll(db, sql: "SELECT document FROM record") }
        #expect(Self.markers(final).0 == ["\(generations)"])
        if inline {
            #expect(await store.readAheadCounts().taken > 0, "the scans took pages decrypted ahead")
        }
        #expect(try await store.checkIntegrity() == ["ok"])
        try await store.close()
    }

    @Test("a tampered page still fails with its typed error during a scan that decrypts ahead")
    func tamperedPageDuringScan() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let original = directory.path("original.rapportdb")
        let key = SymmetricKey.generate()
        let store = try await EncryptedStore.create(
            at: original, credentials: [.platformKey(key)], configuration: Fixture.configuration)
        _ = try await store.applyServerDocuments(Self.documents(count: 200, marker: "gen-0"))
        try await store.close()

        let clean = try await EncryptedStore.open(
            at: original, credential: .platformKey(key), configuration: Self.configuration(inline: true))
        let rows = try await clean.read { db in try String.fetchAll(db, sql: "SELECT document FROM record") }
        #expect(rows.count == 200)
        #expect(await clean.readAheadCounts().taken > 50)
        try await clean.close()

        let pageCount = Fixture.bytes(original).count / Self.pageSize
        for page in [pageCount / 3, pageCount / 2, pageCount * 3 / 4] {
            let copy = directory.path("tampered-\(page).rapportdb")
            try FileManager.default.copyItem(atPath: original, toPath: copy)
            try FileManager.default.copyItem(atPath: original + ".keys", toPath: copy + ".keys")
            try IntegrityTests.modify(copy) { $0[(page - 1) * Self.pageSize + 300] ^= 0x10 }
            let tampered = try await EncryptedStore.open(
                at: copy, credential: .platformKey(key), configuration: Self.configuration(inline: true))
            let error = await Fixture.expectStoreError(.pageAuthenticationFailed) {
                // A full scan of the table, then every page (integrity_check reads them in order).
                _ = try await tampered.read { db in try String.fetchAll(db, sql: "SELECT document FROM record") }
                let findings = try await tampered.checkIntegrity()
                throw StoreError(code: .database, message: "no failure; integrity_check: \(findings)")
            }
            #expect(error?.pageNumber == UInt32(page), "page \(page): \(String(describing: error))")
            #expect(await tampered.readAheadCounts().decrypted > 0)
            try await tampered.close()
        }
    }
}
