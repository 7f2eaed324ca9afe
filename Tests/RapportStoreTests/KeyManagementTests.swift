import Foundation
import RapportCrypto
import RapportModels
import RapportTesting
import Synchronization
import Testing
@testable import RapportStore

@Suite("Key management")
struct KeyManagementTests {
    @Test("changing the passcode re-wraps the key and keeps every row")
    func changePasscode() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 25)
        let databaseBefore = Fixture.bytes(path)
        let store = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        let wrong = await Fixture.expectStoreError(.wrongKey) { try await store.changePasscode(from: "nope", to: "x") }
        #expect(wrong != nil)
        try await store.changePasscode(from: "1234-5678", to: "new passcode")
        #expect(try await store.count(RecordQuery(kind: .customer)) == 25)
        try await store.close()
        #expect(Fixture.bytes(path) == databaseBefore, "a passcode change must not rewrite the database")
        #expect(await Fixture.expectStoreError(.wrongKey) {
            _ = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        } != nil)
        let reopened = try await EncryptedStore.open(at: path, credential: .passcode("new passcode"), configuration: Fixture.configuration)
        #expect(try await reopened.entities(Customer.self, RecordQuery(kind: .customer)).count == 25)
        try await reopened.close()
    }

    @Test("rotating the data key re-encrypts every page, keeps every row and reports progress")
    func rotateDataKey() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 80)
        let oldDatabase = Fixture.bytes(path)
        let oldKeys = Fixture.bytes(path + ".keys")
        let platformKey = SymmetricKey.generate()
        let store = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        let before = try await store.records(RecordQuery(kind: .customer))
        let outboxBefore = try await store.outbox()
        let seen = Mutex<[Double]>([])
        try await store.rotateDataKey(credentials: [.platformKey(platformKey), .passcode("after")]) { fraction in
            seen.withLock { $0.append(fraction) }
        }
        let progress = seen.withLock { $0 }
        #expect(progress.last == 1)
        #expect(progress == progress.sorted())
        #expect(try await store.records(RecordQuery(kind: .customer)) == before)
        try await store.save(Fixture.customer(500), clock: "after-rotation")
        try await store.close()

        let newDatabase = Fixture.bytes(path)
        #expect(Array(newDatabase.prefix(16)) != Array(oldDatabase.prefix(16)), "a new file id")
        #expect(Fixture.bytes(path + ".keys") != oldKeys)
        #expect(!FileManager.default.fileExists(atPath: path + ".rotating"))
        #expect(!FileManager.default.fileExists(atPath: path + ".keys.next"))
        for credential in [StoreCredential.platformKey(platformKey), .passcode("after")] {
            let reopened = try await EncryptedStore.open(at: path, credential: credential, configuration: Fixture.configuration)
            #expect(try await reopened.count(RecordQuery(kind: .customer)) == 81)
            #expect(try await reopened.outbox().count == outboxBefore.count + 1)
            #expect(try await reopened.checkIntegrity() == ["ok"])
            try await reopened.close()
        }
        #expect(await Fixture.expectStoreError(.wrongKey) {
            _ = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        } != nil)
        // The old key file cannot open the new database.
        try Data(oldKeys).write(to: URL(fileURLWithPath: path + ".keys"))
        #expect(await Fixture.expectStoreError(.keyFileMismatch) {
            _ = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        } != nil)
    }

    @Test("an interrupted rotation is finished on the next open")
    func interruptedRotationRecovers() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 10)
        let oldKeys = Fixture.bytes(path + ".keys")
        let store = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        try await store.rotateDataKey(credentials: [.passcode("rotated")])
        try await store.close()
        // Simulate a crash after the database swap, before the key file was installed.
        try FileManager.default.moveItem(atPath: path + ".keys", toPath: path + ".keys.next")
        try Data(oldKeys).write(to: URL(fileURLWithPath: path + ".keys"))
        let reopened = try await EncryptedStore.open(at: path, credential: .passcode("rotated"), configuration: Fixture.configuration)
        #expect(try await reopened.count(RecordQuery(kind: .customer)) == 10)
        try await reopened.close()
        #expect(!FileManager.default.fileExists(atPath: path + ".keys.next"))
    }

    @Test("wipe shreds the keys first and leaves nothing decryptable")
    func wipe() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try await Fixture.populatedStore(in: directory, count: 10)
        let store = try await EncryptedStore.open(at: path, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        try await store.save(Fixture.customer(99), clock: "c")
        // A copy of the database taken before the wipe, and a descriptor on the key file.
        let stolen = directory.path("stolen.rapportdb")
        try FileManager.default.copyItem(atPath: path, toPath: stolen)
        let keyHandle = try #require(FileHandle(forReadingAtPath: path + ".keys"))
        defer { try? keyHandle.close() }
        let keyBytesBefore = try keyHandle.readToEnd() ?? Data()
        #expect(Fixture.contains([UInt8](keyBytesBefore), "wrappedKey"))

        try await store.wipe()

        for suffix in ["", "-wal", "-shm", "-journal", ".keys", ".keys.next", ".keys.tmp"] {
            #expect(!FileManager.default.fileExists(atPath: path + suffix), "\(suffix) left behind")
        }
        try keyHandle.seek(toOffset: 0)
        let keyBytesAfter = try keyHandle.readToEnd() ?? Data()
        #expect(keyBytesAfter.count == keyBytesBefore.count)
        #expect(!Fixture.contains([UInt8](keyBytesAfter), "wrappedKey"), "the key file's blocks were overwritten")
        #expect((try? JSONDecoder().decode(KeyFile.self, from: keyBytesAfter)) == nil)
        // The copy taken before is useless without its key file.
        #expect(await Fixture.expectStoreError(.notARapportStore) {
            _ = try await EncryptedStore.open(at: stolen, credential: .passcode("1234-5678"), configuration: Fixture.configuration)
        } != nil)
        #expect(await Fixture.expectStoreError(.closed) { _ = try await store.count(RecordQuery(kind: .customer)) } != nil)
    }
}
