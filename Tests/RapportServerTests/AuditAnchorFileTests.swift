import Foundation
import GRDB
import Logging
import RapportAccess
import RapportCrypto
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

@Suite("Audit anchor file: append-only lines, 0600, unreadable lines reported")
struct AuditAnchorFileTests {
    @Test func appendsAndReadsAnchorsInOrder() throws {
        let directory = try TemporaryDirectory(prefix: "rapport-anchor-test")
        defer { directory.remove() }
        let file = AuditAnchorFile(path: directory.path("nested/audit-anchors.log"))
        #expect(try file.read() == AuditAnchorRead(exists: false, anchors: []))
        let key = try SymmetricKey(bytes: Array(repeating: 1, count: 32))
        let anchors = (1...3).map {
            AuditCheckpoint.seal(
                sequence: UInt64($0 * 100), entryHash: Array(repeating: UInt8($0), count: 32),
                timestampMilliseconds: Int64($0), key: key)
        }
        for anchor in anchors { try file.append(anchor) }
        #expect(try file.read() == AuditAnchorRead(exists: true, anchors: anchors))
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(AuditAnchorFile.parse(Substring(AuditAnchorFile.line(anchors[1]))) == anchors[1])

        let handle = try #require(FileHandle(forWritingAtPath: file.path))
        handle.seekToEndOfFile()
        handle.write(Data("rapport-audit-anchor-v1 sequence=400 time=4 hash=zz\n".utf8))
        try handle.close()
        let read = try file.read()
        #expect(read.anchors == anchors && read.unreadableLines == [4])
    }
}

@Suite("Audit anchors across a crash")
struct AuditAnchorCrashTests {
    static let key = try! SymmetricKey(bytes: Array(repeating: 7, count: 32))
    static func anchor(_ sequence: Int) -> AuditCheckpoint {
        AuditCheckpoint.seal(
            sequence: UInt64(sequence), entryHash: Array(repeating: UInt8(sequence % 256), count: 32),
            timestampMilliseconds: Int64(sequence), key: key)
    }

    @Test("a line torn by a crash or a full disk is left out, and the next append cuts it off")
    func tornLastLine() throws {
        let directory = try TemporaryDirectory(prefix: "rapport-anchor-torn")
        defer { directory.remove() }
        let file = AuditAnchorFile(path: directory.path("audit-anchors.log"))
        try file.append(Self.anchor(100))
        let handle = try #require(FileHandle(forWritingAtPath: file.path))
        handle.seekToEndOfFile()
        handle.write(Data(AuditAnchorFile.line(Self.anchor(200)).prefix(40).utf8))
        try handle.close()
        #expect(try file.read() == AuditAnchorRead(exists: true, anchors: [Self.anchor(100)]))
        try file.append(Self.anchor(300))
        #expect(try file.read() == AuditAnchorRead(exists: true, anchors: [Self.anchor(100), Self.anchor(300)]))
    }

    @Test("a server stopped between anchoring a checkpoint and storing it starts again, restores it and says so")
    func checkpointAnchoredButNotStored() async throws {
        let server = try await LiveServer.start(label: "rapport-anchor-crash", logLevel: .critical)
        defer { server.directory.remove() }
        for _ in 0..<3 { try await server.services.audit.record(.login, actor: UUID()) }
        try await server.services.audit.checkpointNow()
        await server.beginShutdown()
        try await server.waitStopped()
        let configuration = server.services.configuration
        // The database never got the newest checkpoint (its anchor is on disk).
        let database = try DatabaseQueue(path: server.services.dataDirectory.databasePath)
        let newest = try await database.write { db in
            let newest = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM auditCheckpoint") ?? 0
            try db.execute(sql: "DELETE FROM auditCheckpoint WHERE sequence = ?", arguments: [newest])
            return newest
        }
        try database.close()
        #expect(newest > 0)

        let (services, lock) = try await ServerRunner.prepare(configuration: configuration, logger: Logger(label: "restart"))
        defer { lock?.release() }
        #expect(try await services.audit.verify().intact)
        let restored = try await services.audit.query(AuditQuery(action: "auditCheckpointsRestored"))
        #expect(restored.entries.count == 1 && restored.entries[0].reason.contains("\(newest)"))
    }
}

@Suite("Audit anchors across a restore")
struct AuditAnchorRestoreTests {
    @Test("restoring an older backup restarts the anchors from it and keeps the old ones; the server then starts")
    func restoreRestartsAnchors() async throws {
        let server = try await LiveServer.start(label: "rapport-anchor-restore", logLevel: .critical)
        defer { server.directory.remove() }
        try await server.services.audit.record(.login, actor: UUID())
        try await server.services.audit.checkpointNow()
        let backup = server.directory.path("backup.sqlite")
        try await (server.services.storage as! SQLiteServerStorage).backup(to: backup)
        for _ in 0..<5 { try await server.services.audit.record(.login, actor: UUID()) }
        await server.beginShutdown()
        try await server.waitStopped()
        let configuration = server.services.configuration
        let directory = server.services.dataDirectory

        try SQLiteServerStorage.restore(from: backup, into: directory)
        let anchors = AuditAnchorFile(directory: directory)
        let archived = try #require(try await RestoreCommand.restartAnchors(anchors, directory: directory))
        #expect(try AuditAnchorFile(path: archived).read().anchors.count > (try anchors.read().anchors.count))
        let (services, lock) = try await ServerRunner.prepare(
            configuration: configuration, logger: Logger(label: "restored"))
        defer { lock?.release() }
        #expect(try await services.audit.verify().intact)
    }
}
