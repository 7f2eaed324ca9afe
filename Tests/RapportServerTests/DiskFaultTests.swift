import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// A full disk and a failing disk under a real server (issue 17, "Exhausted resources"): a real
/// `SQLITE_FULL` from `PRAGMA max_page_count` on the real database file, and I/O errors from
/// ``FaultVFS`` under the real `unix` VFS.
@Suite("Disk full and I/O errors")
struct DiskFaultTests {
    /// A signed-in rep pushing customers of their own.
    struct Rep {
        let server: TestServer
        let staff: Staff
        let token: String
        let deviceId: UUID

        static func signIn(_ server: TestServer, login: String = "ana") async throws -> Rep {
            let team = Team(id: UUID(), name: "North")
            let staff = try await server.addStaff(login: login, team: team)
            let response = try await server.login(login)
            return Rep(server: server, staff: staff, token: response.tokens.accessToken, deviceId: response.deviceId)
        }

        /// `count` new customers, each with a long note (so a batch needs many new pages).
        func creations(_ count: Int) throws -> [Mutation] {
            let node = deviceId.uuidString.lowercased()
            return try (0..<count).map { index in
                let customer = Customer(
                    kind: .individual, name: "客户 \(index)", sourceChannel: .referral, ownerId: staff.id,
                    teamId: staff.teamId, notes: String(repeating: "note \(index) ", count: 300), createdAt: Date(),
                    individual: IndividualProfile(phones: ["1381234\(String(format: "%04d", index))"]))
                return Mutation(
                    clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0,
                    fields: try customer.fieldMap().filter { !$0.value.isNull },
                    hlc: try HLCTimestamp(
                        physicalMillis: Int64(Date().timeIntervalSince1970 * 1000), counter: index, node: node))
            }
        }

        func push(_ mutations: [Mutation]) async throws -> TestServer.Reply {
            try await server.send(
                .POST, "/v1/sync/push", body: try SyncWire.encode(PushRequest(mutations: mutations)), token: token)
        }
    }

    /// Every mutation of `batch` (creations) is either wholly stored — its record and its
    /// remembered outcome, `applied` — or not at all; returns how many were stored.
    static func storedWhole(_ batch: [Mutation], in storage: SQLiteServerStorage) async throws -> Int {
        var stored = 0
        for mutation in batch {
            let record = try await storage.record(RecordKey(mutation.entity, mutation.recordId))
            let outcome = try await storage.outcome(of: mutation.clientMutationId)
            #expect(
                (record == nil && outcome == nil) || (record != nil && outcome?.status == .applied),
                "mutation \(mutation.clientMutationId) half-written: \(String(describing: outcome))")
            if record != nil { stored += 1 }
        }
        return stored
    }

    @Test("a push on a full disk: 503 storageFull with Retry-After, nothing half-written, /readyz not ready until space returns")
    func pushOnAFullDisk() async throws {
        let server = try await TestServer.start()
        let storage = try #require(server.services.storage as? SQLiteServerStorage)
        let rep = try await Rep.signIn(server)
        #expect(try await rep.push(try rep.creations(2)).status == 200)

        // The disk fills: the database may not grow by a single page any more, and what slack
        // its pages had is taken by a filler table.
        try await storage.database.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE filler (blob BLOB)")
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
            do {
                while true { try db.execute(sql: "INSERT INTO filler VALUES (zeroblob(1024))") }
            } catch let error as DatabaseError where error.resultCode == .SQLITE_FULL {}
        }
        let batch = try rep.creations(40)
        let refused = try await rep.push(batch)
        #expect(refused.status == 503, "\(refused.text)")
        #expect(refused.errorCode == "storageFull", "\(refused.text)")
        #expect(refused.headers.first(name: "Retry-After") == "30")
        #expect(refused.errorMessage.contains("disk is full"), "\(refused.errorMessage)")
        let storedBefore = try await Self.storedWhole(batch, in: storage)
        #expect(storedBefore < batch.count)

        // A load balancer stops sending writes: not ready, with the reason.
        let notReady = try await server.send(.GET, "/readyz")
        #expect(notReady.status == 503, "\(notReady.text)")
        #expect(notReady.errorCode == "storageFull", "\(notReady.text)")
        #expect(try await server.send(.GET, "/healthz").status == 200)

        // Space returns; nobody restarts anything.
        try await storage.database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA max_page_count = 1073741823")
        }
        let ready = try await server.send(.GET, "/readyz")
        #expect(ready.status == 200, "\(ready.text)")
        let retried = try await rep.push(batch)
        #expect(retried.status == 200, "\(retried.text)")
        let response = try SyncWire.decode(PushResponse.self, from: retried.body)
        #expect(response.results.allSatisfy { $0.status == .applied && $0.version == 1 })
        #expect(response.results.filter { $0.replayed == true }.count == storedBefore)
        #expect(try await Self.storedWhole(batch, in: storage) == batch.count)
        try await server.stop()
    }

    @Test("an I/O error injected under SQLite is a 503 storageIOError for pushes and admin writes, never a crash or a success")
    func ioErrorsAreReported() async throws {
        try FaultVFS.register()
        let server = try await TestServer.start(vfs: FaultVFS.name)
        let storage = try #require(server.services.storage as? SQLiteServerStorage)
        let fragment = server.directory.url.lastPathComponent
        let rep = try await Rep.signIn(server)
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)
        #expect(try await rep.push(try rep.creations(1)).status == 200)

        let injectedBefore = FaultVFS.injectedFailures
        FaultVFS.arm(.writeIOError, onPathsContaining: fragment)
        let batch = try rep.creations(3)
        let refused = try await rep.push(batch)
        #expect(refused.status == 503, "\(refused.text)")
        #expect(refused.errorCode == "storageIOError", "\(refused.text)")
        #expect(refused.headers.first(name: "Retry-After") == "30")
        let team = try await server.send(
            .POST, "/v1/admin/teams", body: Data(#"{"name": "South"}"#.utf8), token: admin.tokens.accessToken)
        #expect(team.status == 503 && team.errorCode == "storageIOError", "\(team.text)")
        let notReady = try await server.send(.GET, "/readyz")
        #expect(notReady.status == 503 && notReady.errorCode == "storageIOError", "\(notReady.text)")
        #expect(FaultVFS.injectedFailures > injectedBefore)

        // Reads failing too: whatever is answered is an error with its code or real data.
        FaultVFS.arm(.ioError, onPathsContaining: fragment)
        let pull = try await server.send(
            .POST, "/v1/sync/pull", body: try SyncWire.encode(PullRequest(cursor: nil)), token: rep.token)
        #expect(pull.status == 200 || pull.errorCode == "storageIOError", "\(pull.status) \(pull.text)")

        FaultVFS.disarm(onPathsContaining: fragment)
        #expect(try await server.send(.GET, "/readyz").status == 200)
        #expect(storage.health.failure == nil)
        let retried = try await rep.push(batch)
        #expect(retried.status == 200, "\(retried.text)")
        #expect(try await Self.storedWhole(batch, in: storage) == batch.count)
        let integrity = try await storage.database.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") }
        #expect(integrity == "ok")
        try await server.stop()
    }

    @Test("a backup on a full disk is refused with storageFull and leaves no file behind")
    func backupOnAFullDisk() async throws {
        try FaultVFS.register()
        let server = try await TestServer.start(vfs: FaultVFS.name)
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)
        let backups = server.services.dataDirectory.backupsPath
        let fragment = server.directory.url.lastPathComponent + "/data/backups/"
        FaultVFS.arm(.diskFull, onPathsContaining: fragment)
        let refused = try await server.send(.POST, "/v1/admin/backup", token: admin.tokens.accessToken)
        FaultVFS.disarm(onPathsContaining: fragment)
        #expect(refused.status == 503 && refused.errorCode == "storageFull", "\(refused.text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: backups) == [])

        let taken = try await server.send(.POST, "/v1/admin/backup", token: admin.tokens.accessToken)
        #expect(taken.status == 201, "\(taken.text)")
        let names = try FileManager.default.contentsOfDirectory(atPath: backups)
        #expect(names.count == 1 && names[0].hasPrefix("rapport-") && names[0].hasSuffix(".sqlite"), "\(names)")
        try await server.stop()
    }

    @Test("a failed audit checkpoint at shutdown makes rapport-server exit 1 saying so")
    func failedShutdownCheckpointExitsNonZero() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let anchors = dir.path("anchors.log")
        let server = try await ServerProcess.start(
            dataDirectory: dir.path("data"), arguments: ["--audit-anchor-file", anchors])
        defer { server.kill() }
        // A refused sign-in is audited: an entry the shutdown checkpoint must seal.
        var request = HTTPClientRequest(url: server.baseURL + "/v1/auth/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(
            ByteBuffer(
                bytes: try JSONEncoder().encode(
                    LoginRequest(
                        loginName: "nobody", password: "wrong password",
                        device: DeviceInfo(id: UUID(), name: "phone", platform: "ios")))))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 401)
        // The anchor file becomes unwritable (a directory where the file was).
        try? FileManager.default.removeItem(atPath: anchors)
        try FileManager.default.createDirectory(atPath: anchors, withIntermediateDirectories: false)

        let status = try await server.terminate()
        #expect(status == 1, "\(server.stderr)")
        #expect(server.stderr.contains("the final audit checkpoint at shutdown failed"), "\(server.stderr)")
    }
}
