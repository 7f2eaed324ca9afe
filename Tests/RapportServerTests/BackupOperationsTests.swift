import Foundation
import GRDB
import Logging
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// Backups under heavy writes, their retention, and what a restore refuses (issue 17,
/// "Operations").
@Suite("Backups: retention, heavy writes, refused restores")
struct BackupOperationsTests {
    @Test("a server started again on its data directory still takes API backups (it knows its SQLite file)")
    func restartedServerStillBacksUp() async throws {
        let server = try await LiveServer.start(label: "rapport-backup-restart", logLevel: .critical)
        defer { server.directory.remove() }
        await server.beginShutdown()
        try await server.waitStopped()
        // The production start path (`rapport-server serve`), not LiveServer's: it used to build
        // its services without the SQLite file, so every API backup after a restart was 409.
        let (services, lock) = try await ServerRunner.prepare(
            configuration: server.services.configuration, logger: Logger(label: "restart"))
        defer { lock?.release() }
        let file = try #require(services.sqliteFile, "the restarted server's services lack the SQLite file")
        let backup = server.directory.path("after-restart.sqlite")
        try await file.backup(to: backup)
        #expect(FileManager.default.fileExists(atPath: backup))
    }

    typealias Rep = DiskFaultTests.Rep

    static func takeBackup(_ server: TestServer, token: String) async throws -> String {
        let reply = try await server.send(.POST, "/v1/admin/backup", token: token)
        #expect(reply.status == 201, "\(reply.text)")
        return try #require(reply.json["path"] as? String)
    }

    @Test("API backups keep the newest backupRetention files")
    func retentionKeepsTheNewest() async throws {
        let server = try await TestServer.start { $0.backupRetention = 2 }
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)
        var taken: [String] = []
        for _ in 0..<4 { taken.append(try await Self.takeBackup(server, token: admin.tokens.accessToken)) }
        #expect(server.services.dataDirectory.apiBackups() == Array(taken.suffix(2)))
        try await server.stop()
    }

    @Test("backups taken while four devices push open, verify and restore, each a consistent cut")
    func backupDuringHeavyWrites() async throws {
        let server = try await TestServer.start()
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)
        var reps: [Rep] = []
        for index in 0..<4 { reps.append(try await Rep.signIn(server, login: "rep\(index)")) }
        let pushed = try await withThrowingTaskGroup(of: Int.self) { group in
            for rep in reps {
                group.addTask {
                    var applied = 0
                    for _ in 0..<8 {
                        let reply = try await rep.push(try rep.creations(15))
                        #expect(reply.status == 200, "\(reply.text)")
                        applied += 15
                    }
                    return applied
                }
            }
            var backups: [String] = []
            for _ in 0..<3 {
                backups.append(try await Self.takeBackup(server, token: admin.tokens.accessToken))
                try await Task.sleep(for: .milliseconds(30))
            }
            var total = 0
            for try await applied in group { total += applied }
            return (backups, total)
        }
        let (backups, total) = pushed
        #expect(total == 4 * 8 * 15)
        let sourceDirectory = server.services.dataDirectory
        for backup in backups {
            let target = try TemporaryDirectory(prefix: "rapport-restore")
            defer { target.remove() }
            let directory = DataDirectory(path: target.path("data"))
            try SQLiteServerStorage.restore(from: backup, into: directory)
            let restored = try SQLiteServerStorage(path: directory.databasePath)
            let (records, outcomes, orphans) = try await restored.database.read { db in
                (
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncRecord") ?? -1,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM syncOutcome") ?? -1,
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM syncRecord r WHERE NOT EXISTS (SELECT 1 FROM syncChange c WHERE c.sequence = r.sequence)"
                    ) ?? -1
                )
            }
            #expect(records == outcomes, "every stored creation has its outcome, and only those")
            #expect(orphans == 0, "every record's change is in the change log")
            let audit = AuditService(
                storage: restored, keyFile: AuditKeyFile(directory: sourceDirectory), logger: Logger(label: "test"))
            let report = try await audit.verify()
            #expect(report.intact, "\(report.message)")
            try restored.close()
        }
        try await server.stop()
    }

    @Test("restore refuses a backup from a newer schema and one of another organisation, saying which")
    func restoreRefusesNewerSchemaAndOtherOrganisation() async throws {
        let server = try await TestServer.start()
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)
        let backup = try await Self.takeBackup(server, token: admin.tokens.accessToken)
        let directory = server.services.dataDirectory
        await server.beginShutdown()
        try await server.waitStopped()
        defer { server.directory.remove() }

        let newer = server.directory.path("newer.sqlite")
        try FileManager.default.copyItem(atPath: backup, toPath: newer)
        try await DatabaseQueue(path: newer).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-a-newer-server')")
        }
        do {
            try SQLiteServerStorage.restore(from: newer, into: directory)
            Issue.record("a backup from a newer schema was restored")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message.contains("newer server"), "\(error.message)")
            #expect(error.message.contains("v99-from-a-newer-server"), "\(error.message)")
        }

        let foreign = server.directory.path("foreign.sqlite")
        try FileManager.default.copyItem(atPath: backup, toPath: foreign)
        try await DatabaseQueue(path: foreign).write { db in
            try db.execute(
                sql: "UPDATE setting SET value = 'another-organisation' WHERE key = ?",
                arguments: [SQLiteServerStorage.organisationSetting])
        }
        do {
            try SQLiteServerStorage.restore(from: foreign, into: directory)
            Issue.record("a backup of another organisation was restored")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message.contains("another organisation"), "\(error.message)")
        }
        // The organisation's own backup restores; so does the other one when the operator says so.
        try SQLiteServerStorage.restore(from: backup, into: directory)
        try SQLiteServerStorage.restore(from: foreign, into: directory, allowOtherOrganisation: true)
    }
}
