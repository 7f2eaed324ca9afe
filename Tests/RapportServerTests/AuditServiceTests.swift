import Foundation
import GRDB
import Logging
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

@Suite("Audit service: append-only chain in SQLite, checkpoints, queries, verification")
struct AuditServiceTests {
    /// A service over a fresh SQLite database in a temporary directory.
    static func makeService(interval: UInt64 = 100) throws -> (AuditService, SQLiteServerStorage, TemporaryDirectory) {
        let directory = try TemporaryDirectory(prefix: "rapport-audit-test")
        let data = DataDirectory(path: directory.path("data"))
        try data.create()
        let storage = try SQLiteServerStorage(path: data.databasePath)
        let service = AuditService(
            storage: storage, keyFile: AuditKeyFile(directory: data), checkpointInterval: interval,
            logger: Logger(label: "audit-test"))
        return (service, storage, directory)
    }

    @Test func appendsChainedEntriesAndCheckpoints() async throws {
        let (audit, storage, directory) = try Self.makeService(interval: 3)
        defer { directory.remove() }
        let admin = UUID()
        for index in 0..<7 {
            try await audit.record(.statusChanged, actor: admin, records: [UUID()], reason: "change \(index)")
        }
        let entries = try await storage.auditEntries(after: 0, limit: 100)
        #expect(entries.map(\.sequence) == Array(1...7))
        #expect(entries[0].previousHash == AuditChain.genesisHash)
        #expect(entries[1].previousHash == entries[0].hash)
        #expect(try await storage.auditCheckpoints().map(\.sequence) == [3, 6])
        try await audit.checkpointNow()
        #expect(try await storage.auditCheckpoints().map(\.sequence) == [3, 6, 7])
        let report = try await audit.verify()
        #expect(report.intact)
        #expect(report.entriesChecked == 7)
        #expect(report.lastCheckpointVerified == 7)
        // The key file exists with owner-only permissions.
        let attributes = try FileManager.default.attributesOfItem(atPath: audit.keyFile.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func concurrentAppendsKeepTheChainGapless() async throws {
        let (audit, storage, directory) = try Self.makeService(interval: 10)
        defer { directory.remove() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<40 {
                group.addTask { try await audit.record(.login, actor: UUID()) }
            }
            try await group.waitForAll()
        }
        #expect(try await storage.auditEntries(after: 0, limit: 100).map(\.sequence) == Array(1...40))
        #expect(try await audit.verify().intact)
    }

    @Test func queriesFilterAndPage() async throws {
        let (audit, _, directory) = try Self.makeService()
        defer { directory.remove() }
        let ana = UUID()
        let bob = UUID()
        let customer = UUID()
        try await audit.record(.login, actor: ana)
        try await audit.record(.reveal, actor: ana, records: [customer], fields: ["phone"])
        try await audit.record(.statusChanged, actor: bob, records: [ana], reason: "notice")
        try await audit.record(.export, actor: bob, records: [customer])

        let byAna = try await audit.query(AuditQuery(staffId: ana))
        #expect(byAna.entries.map(\.sequence) == [3, 2, 1])  // actor or named record, newest first
        let aboutCustomer = try await audit.query(AuditQuery(recordId: customer))
        #expect(aboutCustomer.entries.map(\.sequence) == [4, 2])
        let exports = try await audit.query(AuditQuery(action: .export))
        #expect(exports.entries.map(\.actorId) == [bob])
        let future = try await audit.query(AuditQuery(from: Date().addingTimeInterval(3_600)))
        #expect(future.entries.isEmpty)

        let first = try await audit.query(AuditQuery(limit: 3))
        #expect(first.entries.map(\.sequence) == [4, 3, 2])
        let cursor = try #require(first.nextCursor.flatMap(UInt64.init))
        let second = try await audit.query(AuditQuery(before: cursor, limit: 3))
        #expect(second.entries.map(\.sequence) == [1])
        #expect(second.nextCursor == nil)
    }

    @Test func theTableIsAppendOnly() async throws {
        let (audit, storage, directory) = try Self.makeService()
        defer { directory.remove() }
        try await audit.record(.login, actor: UUID())
        await #expect(throws: (any Error).self) {
            try await storage.database.write { db in try db.execute(sql: "UPDATE auditEntry SET reason = 'x'") }
        }
        await #expect(throws: (any Error).self) {
            try await storage.database.write { db in try db.execute(sql: "DELETE FROM auditEntry") }
        }
    }

    @Test func verifyNamesTheFirstTamperedEntry() async throws {
        let (audit, storage, directory) = try Self.makeService(interval: 4)
        defer { directory.remove() }
        for _ in 0..<10 { try await audit.record(.reveal, actor: UUID(), fields: ["phone"]) }
        #expect(try await audit.verify().intact)
        let path = storage.database.path
        // An attacker with the file: drop the guard trigger and edit entry 6 through a separate connection.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER auditEntry_appendOnlyUpdate")
            try db.execute(sql: "UPDATE auditEntry SET allowed = 0, reason = 'nothing to see' WHERE sequence = 6")
        }
        try queue.close()
        let report = try await audit.verify()
        #expect(!report.intact)
        #expect(report.firstBadSequence == 6)
        #expect(report.problem == "edited")
    }

    @Test func verifyNoticesACutOffEndAfterRestart() async throws {
        let (audit, storage, directory) = try Self.makeService(interval: 100)
        defer { directory.remove() }
        for _ in 0..<5 { try await audit.record(.login, actor: UUID()) }
        let queue = try DatabaseQueue(path: storage.database.path)
        try await queue.write { db in
            try db.execute(sql: "DROP TRIGGER auditEntry_appendOnlyDelete")
            try db.execute(sql: "DELETE FROM auditEntry WHERE sequence >= 4")
        }
        try queue.close()
        // No checkpoint covers 4–5, but the running server remembers its head.
        let report = try await audit.verify()
        #expect(report.problem == "truncated")
        #expect(report.firstBadSequence == 4)
    }

    @Test func signInsAreAuditedBothWays() async throws {
        let server = try await TestServer.start()
        let ana = try await server.addStaff(login: "ana")
        let device = UUID()
        _ = try await server.login("ana", device: device)
        let bad = try await server.post(
            "/v1/auth/login",
            LoginRequest(loginName: "ana", password: "wrong one!", device: DeviceInfo(id: device, name: "p", platform: "ios")))
        #expect(bad.status == 401)
        let unknown = try await server.post(
            "/v1/auth/login",
            LoginRequest(loginName: "nobody", password: "whatever1", device: DeviceInfo(id: UUID(), name: "p", platform: "ios")))
        #expect(unknown.status == 401)
        let logins = try await server.services.audit.query(AuditQuery(action: .login))
        #expect(logins.entries.count == 3)
        let (failedUnknown, failed, succeeded) = (logins.entries[0], logins.entries[1], logins.entries[2])
        #expect(succeeded.allowed && succeeded.actorId == ana.id && succeeded.deviceId == device)
        #expect(!failed.allowed && failed.actorId == ana.id && failed.reason == "invalidCredentials")
        #expect(!failedUnknown.allowed && failedUnknown.actorId == nil)
        #expect(!failedUnknown.reason.contains("nobody"))
        try await server.stop()
    }

    @Test func shutdownSealsTheHead() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana")
        _ = try await server.login("ana")
        let storage = try #require(server.services.storage as? SQLiteServerStorage)
        #expect(try await storage.auditCheckpoints().isEmpty)
        await server.beginShutdown()
        try await server.waitStopped()
        #expect(try await storage.auditCheckpoints().map(\.sequence) == [1])
        server.directory.remove()
    }
}
