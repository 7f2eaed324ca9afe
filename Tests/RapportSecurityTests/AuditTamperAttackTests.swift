import Foundation
import GRDB
import Logging
import RapportAccess
import RapportModels
import RapportServer
import RapportServerTesting
import RapportTesting
import ServiceLifecycle
import Testing

/// An administrator (or anyone who can write the server's files) stops the server and shortens
/// the audit log: the newest entries and the newest checkpoint go, or the search index loses a
/// person's rows. Verification, start-up and search must all notice.
@Suite("Attack: cutting the audit log")
struct AuditTamperAttackTests {
    /// A stopped server's data directory with an audit log written over two runs: entries
    /// `1...sealedFirst` sealed at the first shutdown, entries up to `last` at the second.
    struct StoppedServer {
        let server: LiveServer
        let configuration: ServerConfiguration
        let ana: Staff
        let boss: Staff
        let sealedFirst: UInt64
        let last: UInt64
        var databasePath: String { DataDirectory(path: configuration.dataDirectory).databasePath }

        /// Edits the stopped server's database directly, as someone with the files would.
        func tamper(_ edit: @escaping @Sendable (Database) throws -> Void) async throws {
            let database = try DatabaseQueue(path: databasePath)
            try await database.write(edit)
            try database.close()
        }
    }

    static func runTwiceAndStop() async throws -> StoppedServer {
        let server = try await LiveServer.start(label: "rapport-audit-attack", logLevel: .critical)
        let ana = try await server.addStaff(login: "ana")
        let boss = try await server.addStaff(login: "boss", roles: [.admin])
        for _ in 0..<3 { _ = try await server.login("ana") }
        // The administrator acts on Ana: entries that name her only among their records.
        try await server.services.audit.record(.statusChanged, actor: boss.id, records: [ana.id], reason: "notice")
        try await server.services.audit.record(.roleChanged, actor: boss.id, records: [ana.id], reason: "manager")
        await server.beginShutdown()
        try await server.waitStopped()
        let sealedFirst = try await server.services.audit.verify().entriesChecked

        // Second run over the same directory, through the production start-up path.
        let configuration = server.services.configuration
        let second = try await RunningServer.start(configuration: configuration)
        try await second.services.audit.record(.statusChanged, actor: boss.id, records: [ana.id], reason: "suspended")
        for _ in 0..<3 { try await second.services.audit.record(.login, actor: ana.id, records: [ana.id]) }
        try await second.stop()
        let last = UInt64(sealedFirst) + 4
        return StoppedServer(
            server: server, configuration: configuration, ana: ana, boss: boss, sealedFirst: UInt64(sealedFirst),
            last: last)
    }

    @Test(
        "deleting the newest entries and the newest checkpoint is reported by verify and at start-up, with the missing range"
    )
    func cuttingTheTailIsReported() async throws {
        let stopped = try await Self.runTwiceAndStop()
        defer { stopped.server.directory.remove() }
        // The attack: with the server stopped, drop the append-only trigger, cut every entry of
        // the second run and the checkpoint that sealed it.
        let sealed = Int64(stopped.sealedFirst)
        try await stopped.tamper { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS auditEntry_appendOnlyDelete")
            try db.execute(sql: "DELETE FROM auditEntry WHERE sequence > ?", arguments: [sealed])
            try db.execute(sql: "DELETE FROM auditCheckpoint WHERE sequence > ?", arguments: [sealed])
        }

        // verify, as GET/POST /v1/admin/audit/verify runs it on a fresh server.
        let services = try ServerServices.open(configuration: stopped.configuration, logger: Logger(label: "verify"))
        let report = try await services.audit.verify()
        #expect(!report.intact, "a cut log verified as intact: \(report.message)")
        #expect(report.problem == "truncated")
        #expect(report.firstBadSequence == stopped.sealedFirst + 1)
        #expect(
            report.missing.contains(AuditRange(first: stopped.sealedFirst + 1, last: stopped.last)),
            "missing ranges: \(report.missing)")

        // Start-up refuses, saying what is missing and how to investigate.
        await #expect(throws: ServerError.self) {
            let running = try await RunningServer.start(configuration: stopped.configuration)
            try await running.stop()
        }
        do {
            let running = try await RunningServer.start(configuration: stopped.configuration)
            try await running.stop()
        } catch let error as ServerError {
            #expect(error.message.contains("\(stopped.sealedFirst + 1)–\(stopped.last)"), "\(error.message)")
            #expect(error.message.contains("allowAuditAnchorMismatch"), "\(error.message)")
        }
        // The operator's explicit override starts the server, which still reports the cut.
        var overridden = stopped.configuration
        overridden.allowAuditAnchorMismatch = true
        let running = try await RunningServer.start(configuration: overridden)
        #expect(try await running.services.audit.verify().intact == false)
        try await running.stop()
    }

    @Test("deleting a checkpoint in the middle of the log is reported as a missing checkpoint")
    func deletingACheckpointIsReported() async throws {
        let stopped = try await Self.runTwiceAndStop()
        defer { stopped.server.directory.remove() }
        let sealed = Int64(stopped.sealedFirst)
        try await stopped.tamper { db in
            try db.execute(sql: "DELETE FROM auditCheckpoint WHERE sequence = ?", arguments: [sealed])
        }
        let services = try ServerServices.open(configuration: stopped.configuration, logger: Logger(label: "verify"))
        let report = try await services.audit.verify()
        #expect(!report.intact, "a deleted checkpoint went unnoticed: \(report.message)")
        #expect(
            report.findings.contains { $0.contains("checkpoint for entry \(stopped.sealedFirst)") },
            "\(report.findings)")
    }

    @Test("deleting a person's search index rows does not hide their entries from search")
    func editingTheIndexDoesNotHideEntries() async throws {
        let stopped = try await Self.runTwiceAndStop()
        defer { stopped.server.directory.remove() }
        let services = try ServerServices.open(configuration: stopped.configuration, logger: Logger(label: "search"))
        let before = try await services.audit.query(AuditQuery(staffId: stopped.ana.id, limit: 1_000)).entries
        let ana = stopped.ana.id.uuidString
        try await stopped.tamper { db in
            // Whatever index the server keeps beside the entries, the attacker empties it of Ana.
            let tables = try String.fetchAll(
                db,
                sql:
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit%' AND name NOT IN ('auditEntry', 'auditCheckpoint')"
            )
            for table in tables {
                let columns = try Row.fetchAll(db, sql: "PRAGMA table_info(\(table))").map { $0["name"] as String }
                for column in columns where column.lowercased().contains("id") {
                    try db.execute(
                        sql: "DELETE FROM \(table) WHERE \(column) = ? COLLATE NOCASE", arguments: [ana])
                }
            }
        }
        let after = try await services.audit.query(AuditQuery(staffId: stopped.ana.id, limit: 1_000)).entries
        #expect(
            after.map(\.sequence) == before.map(\.sequence),
            "search lost \(before.count - after.count) of Ana's entries")
        let byAdmin = after.filter { $0.actorId == stopped.boss.id }
        #expect(byAdmin.count == 3, "the administrator's entries about Ana: \(byAdmin.map(\.sequence))")
        #expect(try await services.audit.verify().intact)
    }
}

/// A server started over an existing data directory the way `rapport-server serve` starts it
/// (``ServerRunner/prepare(configuration:logger:output:)``: permission checks, lock, storage,
/// audit anchor check), serving HTTP until ``stop()`` shuts it down gracefully.
struct RunningServer {
    let services: ServerServices
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let lock: DataDirectoryLock?

    static func start(configuration: ServerConfiguration) async throws -> RunningServer {
        var configuration = configuration
        configuration.port = 0
        let logger = Logger(label: "running")
        let (services, lock) = try await ServerRunner.prepare(
            configuration: configuration, logger: logger, output: { _ in })
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(services: services) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: MaintenanceService(services: services))],
                gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        _ = await iterator.next()
        return RunningServer(services: services, group: group, task: task, lock: lock)
    }

    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        lock?.release()
    }
}

extension AuditTamperAttackTests {
    @Test("deleting the anchor file while checkpoints remain stops the server from starting")
    func deletingTheAnchorFileIsReported() async throws {
        let stopped = try await Self.runTwiceAndStop()
        defer { stopped.server.directory.remove() }
        try FileManager.default.removeItem(atPath: stopped.configuration.auditAnchorPath)
        do {
            let running = try await RunningServer.start(configuration: stopped.configuration)
            try await running.stop()
            Issue.record("the server started without its anchor file")
        } catch let error as ServerError {
            #expect(error.message.contains("anchorMissing"), "\(error.message)")
        }
        let services = try ServerServices.open(configuration: stopped.configuration, logger: Logger(label: "verify"))
        #expect(try await services.audit.verify().problem == "anchorMissing")
    }
}
