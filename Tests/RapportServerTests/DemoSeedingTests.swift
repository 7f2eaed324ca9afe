import Foundation
import GRDB
import Logging
import RapportAccess
import RapportCrypto
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// `--demo` seeding is all or nothing (issue 17, "Operations"): a failure or a crash during the
/// first start leaves no half-seeded organisation, and the next `--demo` start seeds it whole.
@Suite("Demo seeding, all or nothing")
struct DemoSeedingTests {
    static func configuration(_ dir: TemporaryDirectory) -> ServerConfiguration {
        var configuration = ServerConfiguration(port: 0, dataDirectory: dir.path("data"), demo: true)
        configuration.passwordHashing = .testing
        return configuration
    }

    /// Creates the data directory with its administrator, as a first start does before seeding.
    static func bootstrap(_ configuration: ServerConfiguration) async throws {
        let directory = DataDirectory(path: configuration.dataDirectory)
        try directory.create()
        let storage = try SQLiteServerStorage(path: directory.databasePath)
        let services = ServerServices(configuration: configuration, storage: storage, logger: Logger(label: "test"))
        #expect(try await services.identity.bootstrap() != nil)
        try storage.close()
    }

    @Test("the disk fills in the middle of seeding: nothing of the demo is left, and the next --demo start seeds it whole")
    func failureMidSeedLeavesNothing() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let configuration = Self.configuration(dir)
        try await Self.bootstrap(configuration)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let directory = DataDirectory(path: configuration.dataDirectory)

        do {
            _ = try await DemoSeeder.seedAtomically(
                configuration: configuration, logger: logger, customerCount: 200,
                prepareStaging: { staging in
                    // Room for the teams and staff, not for 200 customers and their history.
                    try await staging.database.writeWithoutTransaction { db in
                        let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
                        try db.execute(sql: "PRAGMA max_page_count = \(pages + 40)")
                    }
                })
            Issue.record("seeding fit in 40 pages; the fault was not injected")
        } catch let error as ServerError {
            #expect(error.code == .storageFull, "\(error)")
        }
        let storage = try SQLiteServerStorage(path: directory.databasePath)
        #expect(try await storage.setting(DemoSeeder.seededSetting) == nil)
        #expect(try await storage.credential(loginName: "grace.admin") == nil)
        #expect(try await storage.organisation().staff.count == 1, "only the administrator")
        #expect(try await storage.stableSequence() == 0, "no demo customer")
        try storage.close()
        #expect(!FileManager.default.fileExists(atPath: DemoSeeder.stagingPath(in: directory)))

        let logins = try await DemoSeeder.seedAtomically(configuration: configuration, logger: logger, customerCount: 200)
        #expect(Set(logins.map(\.role)) == Set(RoleID.builtIns))
        let seeded = try SQLiteServerStorage(path: directory.databasePath)
        #expect(try await seeded.setting(DemoSeeder.seededSetting) == "true")
        #expect(try await seeded.credential(loginName: "grace.admin") != nil)
        #expect(try await seeded.stableSequence() > 200)
        try seeded.close()
        // Seeded once: a further --demo start changes nothing.
        #expect(try await DemoSeeder.seedAtomically(configuration: configuration, logger: logger).isEmpty)
    }

    @Test("rapport-server --demo killed while seeding: the next --demo start succeeds and seeds the demo")
    func killedWhileSeeding() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let data = dir.path("data")
        let arguments = ["--demo", "--demo-customers", "300"]
        let first = try await ServerProcess.start(dataDirectory: data, arguments: arguments, waitUntilListening: false)
        defer { first.kill() }
        // Seeding runs in its staging copy (300 customers: a few seconds); kill the server soon after
        // the copy appears.
        let staging = DemoSeeder.stagingPath(in: DataDirectory(path: data))
        let deadline = ContinuousClock.now + .seconds(60)
        while !FileManager.default.fileExists(atPath: staging), first.process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try await Task.sleep(for: .milliseconds(200))
        first.kill()
        let killedMidSeed = !first.stdout.contains("Demo organisation seeded")
        if killedMidSeed {
            let storage = try SQLiteServerStorage(path: DataDirectory(path: data).databasePath)
            #expect(try await storage.setting(DemoSeeder.seededSetting) == nil)
            #expect(try await storage.credential(loginName: "ana.rep") == nil, "a half-seeded organisation")
            try storage.close()
        }

        let second = try await ServerProcess.start(dataDirectory: data, arguments: arguments, timeout: .seconds(180))
        defer { second.kill() }
        #expect(second.stdout.contains("Demo organisation seeded") == killedMidSeed, "\(second.stdout)")
        #expect(try await second.terminate() == 0, "\(second.stderr)")
        let storage = try SQLiteServerStorage(path: DataDirectory(path: data).databasePath)
        #expect(try await storage.setting(DemoSeeder.seededSetting) == "true")
        #expect(try await storage.credential(loginName: "ana.rep") != nil)
        try storage.close()
    }
}
