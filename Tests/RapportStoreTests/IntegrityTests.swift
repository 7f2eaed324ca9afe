import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
import Testing
@testable import RapportStore

@Suite("Wrong keys and damaged files")
struct IntegrityTests {
    /// Reads everything, so every page is decrypted.
    static func readAll(_ path: String, passcode: String = "1234-5678") async throws {
        let store = try await EncryptedStore.open(at: path, credential: .passcode(passcode), configuration: Fixture.configuration)
        defer { Task { try? await store.close() } }
        _ = try await store.records(RecordQuery(kind: .customer))
        let findings = try await store.checkIntegrity()
        if findings != ["ok"] {
            throw StoreError(code: .database, message: "integrity_check: \(findings)")
        }
    }

    static func modify(_ path: String, _ body: (inout [UInt8]) -> Void) throws {
        var bytes = Fixture.bytes(path)
        body(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test("a wrong passcode fails with wrongKey")
    func wrongPasscode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 3)
        let error = await Fixture.expectStoreError(.wrongKey) {
            _ = try await EncryptedStore.open(at: path, credential: .passcode("0000-0000"), configuration: Fixture.configuration)
        }
        #expect(error != nil)
        let platform = await Fixture.expectStoreError(.wrongKey) {
            _ = try await EncryptedStore.open(at: path, credential: .platformKey(.generate()), configuration: Fixture.configuration)
        }
        #expect(platform != nil)
        try await Self.readAll(path)
    }

    @Test("one flipped bit in any of several pages fails with pageAuthenticationFailed naming the page")
    func tamperedPages() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let original = try await Fixture.populatedStore(in: directory, count: 60)
        try await Self.readAll(original)
        let pageCount = Fixture.bytes(original).count / PageLayout.pageSize
        #expect(pageCount >= 6)
        for page in [1, 2, pageCount / 2, pageCount] {
            let copy = directory.path("tampered-\(page).rapportdb")
            try FileManager.default.copyItem(atPath: original, toPath: copy)
            try FileManager.default.copyItem(atPath: original + ".keys", toPath: copy + ".keys")
            // Page 1 keeps its file id in clear; flip a bit inside the ciphertext.
            try Self.modify(copy) { $0[(page - 1) * PageLayout.pageSize + 200] ^= 0x04 }
            let error = await Fixture.expectStoreError(.pageAuthenticationFailed) { try await Self.readAll(copy) }
            #expect(error?.pageNumber == UInt32(page), "page \(page): \(String(describing: error))")
        }
    }

    @Test("a bit flipped in the tag or nonce is caught too")
    func tamperedTag() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 30)
        try Self.modify(path) { $0[2 * PageLayout.pageSize - 1] ^= 0x80 }
        let error = await Fixture.expectStoreError(.pageAuthenticationFailed) { try await Self.readAll(path) }
        #expect(error?.pageNumber == 2)
    }

    @Test("swapped pages fail with pagesSwapped")
    func swappedPages() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 60)
        try Self.modify(path) { bytes in
            let size = PageLayout.pageSize
            let a = Array(bytes[(2 * size)..<(3 * size)])
            let b = Array(bytes[(3 * size)..<(4 * size)])
            bytes.replaceSubrange((2 * size)..<(3 * size), with: b)
            bytes.replaceSubrange((3 * size)..<(4 * size), with: a)
        }
        let error = await Fixture.expectStoreError(.pagesSwapped) { try await Self.readAll(path) }
        #expect(error != nil)
        #expect(error?.pageNumber == 3 || error?.pageNumber == 4)
    }

    @Test("a file cut mid-page or at a page boundary fails with truncated")
    func truncatedFile() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 60)
        let size = Fixture.bytes(path).count
        let copy = directory.path("cut.rapportdb")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + ".keys", toPath: copy + ".keys")
        try Self.modify(path) { $0.removeLast(1000) }
        #expect(await Fixture.expectStoreError(.truncated) { try await Self.readAll(path) } != nil)
        try Self.modify(copy) { $0.removeLast(2 * PageLayout.pageSize) }
        #expect(Fixture.bytes(copy).count == size - 2 * PageLayout.pageSize)
        #expect(await Fixture.expectStoreError(.truncated) { try await Self.readAll(copy) } != nil)
    }

    @Test("a plain SQLite file, or a key file of another store, is refused")
    func foreignFiles() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let first = try await Fixture.populatedStore(in: directory, count: 2)
        let otherDirectory = try TemporaryDirectory()
        defer { otherDirectory.remove() }
        let second = try await Fixture.populatedStore(in: otherDirectory, count: 2)
        try FileManager.default.removeItem(atPath: first + ".keys")
        try FileManager.default.copyItem(atPath: second + ".keys", toPath: first + ".keys")
        #expect(await Fixture.expectStoreError(.keyFileMismatch) { try await Self.readAll(first) } != nil)
        try FileManager.default.removeItem(atPath: first + ".keys")
        #expect(await Fixture.expectStoreError(.notARapportStore) { try await Self.readAll(first) } != nil)
        let missing = await Fixture.expectStoreError(.notFound) {
            _ = try await EncryptedStore.open(at: directory.path("nothing"), credential: .passcode("x"))
        }
        #expect(missing != nil)
    }
}
