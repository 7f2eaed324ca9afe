import Foundation
import GRDB
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// `rapport-server check` on a stopped data directory (issue 17, "Operations"): SQLite's
/// integrity check and the audit chain's verification, a precise report, exit 1 on damage.
@Suite("rapport-server check")
struct CheckCommandTests {
    /// A data directory with some history (staff, sign-ins: audit entries), its server stopped.
    static func stoppedServer() async throws -> TestServer {
        let server = try await TestServer.start()
        for index in 0..<3 {
            try await server.addStaff(login: "rep\(index)")
            _ = try await server.login("rep\(index)")
        }
        await server.beginShutdown()
        try await server.waitStopped()
        // As the process's exit would: every change in the database file itself.
        try #require(server.services.storage as? SQLiteServerStorage).close()
        return server
    }

    @Test("a clean data directory passes; one in use is refused naming the server's pid")
    func cleanPassesAndRunningIsRefused() async throws {
        let server = try await Self.stoppedServer()
        defer { server.directory.remove() }
        let data = server.services.dataDirectory.path
        let report = try await CheckCommand.check(dataDirectory: data)
        #expect(report.passed, "\(report.lines)")
        #expect(report.lines.first?.hasPrefix("database: ok") == true, "\(report.lines)")
        #expect(report.lines.last?.hasPrefix("audit log: ok") == true, "\(report.lines)")

        let holder = try DataDirectoryLock(DataDirectory(path: data))
        defer { holder.release() }
        do {
            _ = try await CheckCommand.check(dataDirectory: data)
            Issue.record("check ran on a data directory in use")
        } catch let error as ServerError {
            #expect(error.code == .serverRunning && error.message.contains("process \(getpid())"), "\(error)")
        }
    }

    @Test("a flipped byte in a table page fails the check with SQLite's finding, and the binary exits 1")
    func flippedByteFails() async throws {
        let server = try await Self.stoppedServer()
        defer { server.directory.remove() }
        let directory = server.services.dataDirectory
        let root = try await DatabaseQueue(path: directory.databasePath).read { db in
            try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'staff'") ?? 0
        }
        let pageSize = 4096
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory.databasePath))
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        let byte = try #require(try handle.read(upToCount: 1)?.first)
        try handle.seek(toOffset: UInt64((root - 1) * pageSize))
        try handle.write(contentsOf: [byte ^ 0xFF])
        try handle.close()

        let report = try await CheckCommand.check(dataDirectory: directory.path)
        #expect(!report.passed)
        #expect(report.lines.contains { $0.hasPrefix("database: damaged") }, "\(report.lines)")

        let home = try TemporaryDirectory(prefix: "rapport-check-home")
        defer { home.remove() }
        let outcome = try await ToolProcess(executableName: "rapport-server", home: home)
            .run(["check", "--data-dir", directory.path])
        #expect(outcome.status == 1, "\(outcome)")
        #expect(outcome.stdout.contains("database: damaged"), "\(outcome)")
        #expect(outcome.stderr.contains("is damaged"), "\(outcome)")
    }

    @Test("an audit row changed behind the server's back fails the check, naming the entry")
    func tamperedAuditRowFails() async throws {
        let server = try await Self.stoppedServer()
        defer { server.directory.remove() }
        let directory = server.services.dataDirectory
        try await DatabaseQueue(path: directory.databasePath).write { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS auditEntry_appendOnlyUpdate")
            try db.execute(sql: "UPDATE auditEntry SET reason = 'nothing happened' WHERE sequence = 2")
        }
        let report = try await CheckCommand.check(dataDirectory: directory.path)
        #expect(!report.passed)
        #expect(report.lines.first?.hasPrefix("database: ok") == true, "\(report.lines)")
        #expect(report.lines.contains { $0.hasPrefix("audit log: damaged") && $0.contains("2") }, "\(report.lines)")
    }
}
