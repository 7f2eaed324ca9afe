import Foundation
import NIOHTTP1
import RapportAccess
import RapportClient
import RapportCrypto
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportStore
import RapportSyncClient
import RapportSyncServer
import RapportTesting
import Synchronization
import Testing

/// Lease expiry, token refresh, wipe, the live channel and bad input, against a real server.
@Suite("Client: lease, tokens, wipe, live channel")
struct ClientLifecycleTests {
    /// A clock the test moves.
    final class TestClock: Sendable {
        let offset = Mutex<TimeInterval>(0)
        var now: @Sendable () -> Date { { [self] in Date().addingTimeInterval(offset.withLock { $0 }) } }
        func advance(hours: Double) { offset.withLock { $0 += hours * 3600 } }
    }

    static func signIn(_ server: LiveServer, _ folder: TemporaryDirectory, _ name: String, login: String = "ana", clock: TestClock? = nil)
        async throws -> RapportClient
    {
        let endpoint = try ServerEndpoint(server.baseURL)
        let clock = clock ?? TestClock()
        let now = clock.now
        return try await RapportClient.signIn(
            server: endpoint, loginName: login, password: "correct horse battery",
            directory: ClientDirectory(folder.path(name)), device: DeviceDescription(name: name, platform: "cli"),
            options: ClientSessionTests.options(now: now))
    }

    /// Runs `body` with a started server, stopping it however the body ends.
    static func withServer(
        clock: any SyncWallClock = SystemWallClock(), _ body: (LiveServer, TemporaryDirectory) async throws -> Void
    ) async throws {
        let server = try await LiveServer.start(clock: clock)
        let folder = try TemporaryDirectory(prefix: "client")
        defer { folder.remove() }
        do {
            try await body(server, folder)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    @Test("after the lease ends the store stays locked offline, the cached key is shredded, and renewal online unlocks it")
    func leaseExpiry() async throws {
        let clock = TestClock()
        let server = try await LiveServer.start()
        let folder = try TemporaryDirectory(prefix: "client")
        defer { folder.remove() }
        _ = try await server.addStaff(login: "ana")
        let phone = try await Self.signIn(server, folder, "phone", clock: clock)
        let customer = ClientSessionTests.customer(owner: Staff(id: phone.staff.id, name: "Ana", teamId: phone.staff.teamId, roles: [.salesRep]))
        try await phone.engine.save(customer)
        await phone.close()
        let directory = ClientDirectory(folder.path("phone"))

        // 73 hours later, the server unreachable: locked, and the key is gone from the session file.
        await server.beginShutdown()
        try await server.waitStopped()
        clock.advance(hours: 73)
        let options = ClientSessionTests.options(now: clock.now)
        await #expect(throws: ClientError.self) { _ = try await RapportClient.open(directory: directory, options: options) }
        do {
            _ = try await RapportClient.open(directory: directory, options: options)
        } catch let error as ClientError {
            #expect(error.code == .leaseExpired)
        }
        // Turning the clock back does not help: the key was shredded.
        clock.advance(hours: -73)
        await #expect(throws: ClientError.self) { _ = try await RapportClient.open(directory: directory, options: ClientSessionTests.options(now: clock.now)) }
        server.directory.remove()
    }

    @Test("an expired lease is renewed online and the data opens with its pending edit")
    func leaseRenewedOnline() async throws {
        try await Self.withServer { server, folder in
            let clock = TestClock()
            _ = try await server.addStaff(login: "ana")
            let phone = try await Self.signIn(server, folder, "phone", clock: clock)
            var customer = ClientSessionTests.customer(owner: Staff(id: phone.staff.id, name: "Ana", teamId: phone.staff.teamId, roles: [.salesRep]))
            customer.name = "Pending Across Lease"
            try await phone.engine.save(customer)
            let firstExpiry = await phone.session.leaseExpiresAt
            await phone.close()
            clock.advance(hours: 73)
            let reopened = try await RapportClient.open(directory: ClientDirectory(folder.path("phone")), options: ClientSessionTests.options(now: clock.now))
            #expect(try await reopened.store.entity(Customer.self, id: customer.id)?.name == "Pending Across Lease")
            #expect(try await reopened.store.outbox().count == 1)
            #expect(await reopened.session.leaseExpiresAt > firstExpiry)
            try await reopened.sync()
            #expect(try await reopened.store.outbox().isEmpty)
            await reopened.close()
        }
    }

    @Test("an expired access token is refreshed before the request and the new pair is saved")
    func tokenRefresh() async throws {
        try await Self.withServer { server, folder in
            let clock = TestClock()
            _ = try await server.addStaff(login: "ana")
            let phone = try await Self.signIn(server, folder, "phone", clock: clock)
            let before = try await phone.session.accessToken()
            clock.advance(hours: 1)  // access tokens live minutes
            try await phone.sync()
            let after = try await phone.session.accessToken()
            #expect(before != after)
            // Requests racing past an expired token share one refresh: presenting the refresh
            // token twice would revoke every token of the device.
            clock.advance(hours: 1)
            let session = phone.session
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<4 { group.addTask { try await session.send(.POST, "/v1/auth/lease").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses == [200, 200, 200, 200])
            await phone.close()
            // The saved session holds the new pair: reopening and syncing needs no sign-in.
            let reopened = try await RapportClient.open(directory: ClientDirectory(folder.path("phone")), options: ClientSessionTests.options(now: clock.now))
            try await reopened.sync()
            await reopened.close()
        }
    }

    @Test("a revoked device is told to wipe: the store, session and device key are crypto-shredded")
    func wipeOnRevoke() async throws {
        try await Self.withServer { server, folder in
            _ = try await server.addStaff(login: "ana")
            let phone = try await Self.signIn(server, folder, "phone")
            try await phone.sync()
            try await server.services.identity.revokeDevice(id: phone.device.id)
            await #expect(throws: ClientError.self) { try await phone.sync() }
            #expect(await phone.isWiped)
            let directory = ClientDirectory(folder.path("phone"))
            for path in [directory.store, directory.store + ".keys", directory.session, directory.deviceKey] {
                #expect(!FileManager.default.fileExists(atPath: path), "\(path) survived the wipe")
            }
            await #expect(throws: ClientError.self) { try await phone.sync() }
            await phone.close()
        }
    }

    @Test("the live channel triggers a pull when another device pushes, and delivers a wipe")
    func liveChannel() async throws {
        try await Self.withServer { server, folder in
            _ = try await server.addStaff(login: "ana")
            let phone = try await Self.signIn(server, folder, "phone")
            let tablet = try await Self.signIn(server, folder, "tablet")
            let customer = ClientSessionTests.customer(owner: Staff(id: phone.staff.id, name: "Ana", teamId: phone.staff.teamId, roles: [.salesRep]))
            let (reports, continuation) = AsyncStream.makeStream(of: Result<SyncReport, any Error>.self)
            let listening = Task { await tablet.syncOnChanges { continuation.yield($0) } }
            var iterator = reports.makeAsyncIterator()
            _ = await iterator.next()  // the sync on connecting
            try await phone.engine.save(customer)
            try await phone.sync()
            var arrived = false
            while !arrived, let next = await iterator.next() {
                if case .success = next { arrived = try await tablet.store.document(id: customer.id) != nil }
            }
            #expect(arrived)
            // An administrator revokes the tablet through the admin API: its idle live channel is
            // told at once (no other device writes), and the wipe follows.
            let admin = try ClientHTTP(server: try ServerEndpoint(server.baseURL))
            let login = SignInRequest(
                loginName: server.admin.loginName, password: server.admin.password,
                device: DeviceDescription(name: "admin console", platform: "cli"))
            let signedIn = try await admin.send(.POST, "/v1/auth/login", body: try SyncWire.encode(login))
            let token = try RapportJSON.decoder().decode(SignInResponse.self, from: signedIn.body).tokens.accessToken
            let revoked = try await admin.send(.POST, "/v1/admin/devices/\(tablet.device.id.uuidString.lowercased())/revoke", token: token)
            #expect(revoked.status == 200)
            await admin.shutdown()
            var wiped = false
            while !wiped, let next = await iterator.next() {
                if case .failure(let error as ClientError) = next, error.code == .wiped { wiped = true }
            }
            let tabletWiped = await tablet.isWiped
            #expect(wiped && tabletWiped)
            listening.cancel()
            await tablet.close()
            await phone.close()
        }
    }

    @Test("a pull cut short by the read quota: what fitted is applied and reported; the next sync fails at once instead of waiting for midnight")
    func readQuota() async throws {
        // The server's sync clock stands still at 12:00 local (UTC+8): the quota's day cannot end
        // between the two syncs, whenever the test runs.
        try await Self.withServer(clock: ManualWallClock(startMillis: 1_796_616_000_000)) { server, folder in
            var manager = Role.manager
            manager.quotas.distinctCustomersPerDay = 2
            try await server.services.storage.saveRole(manager)
            let team = Team(id: UUID(), name: "North")
            let ana = try await server.addStaff(login: "ana", team: team)
            _ = try await server.addStaff(login: "martin", roles: [.manager], team: team)
            for _ in 0..<3 {
                let customer = ClientSessionTests.customer(owner: ana)
                try await server.services.sync.serverWrite(
                    RecordKey(.customer, customer.id), fields: try customer.fieldMap().filter { !$0.value.isNull })
            }
            let tablet = try await Self.signIn(server, folder, "tablet", login: "martin")
            let report = try await tablet.sync()
            #expect(report.changesApplied == 2 && report.readLimit?.message.contains("limit of 2") == true)
            let started = ContinuousClock.now
            do {
                _ = try await tablet.sync()
                Issue.record("a sync past the quota succeeded")
            } catch let error as SyncError {
                #expect(error.code == .rateLimited && (error.retryAfterSeconds ?? 0) > 60)
            }
            #expect(ContinuousClock.now - started < .seconds(30))
            await tablet.close()
        }
    }

    @Test("bad input: wrong password, unknown server, another person's folder, signing out with pending edits")
    func badInput() async throws {
        try await Self.withServer { server, folder in
            _ = try await server.addStaff(login: "ana")
            _ = try await server.addStaff(login: "bruno")
            let endpoint = try ServerEndpoint(server.baseURL)
            do {
                _ = try await RapportClient.signIn(
                    server: endpoint, loginName: "ana", password: "wrong", directory: ClientDirectory(folder.path("x")),
                    device: DeviceDescription(name: "x", platform: "cli"), options: ClientSessionTests.options())
                Issue.record("a wrong password signed in")
            } catch let error as ClientError {
                #expect(error.code == .invalidCredentials)
            }
            #expect(throws: ClientError.self) { _ = try ServerEndpoint("ftp://example.com") }
            #expect(throws: ClientError.self) { _ = try ServerEndpoint("http://") }
            do {
                _ = try await RapportClient.signIn(
                    server: try ServerEndpoint("http://127.0.0.1:1"), loginName: "ana", password: "x", directory: ClientDirectory(folder.path("y")),
                    device: DeviceDescription(name: "y", platform: "cli"), options: ClientSessionTests.options())
                Issue.record("signed in to a closed port")
            } catch let error as ClientError {
                #expect(error.code == .unreachable)
            }
            let phone = try await Self.signIn(server, folder, "phone")
            let customer = ClientSessionTests.customer(owner: Staff(id: phone.staff.id, name: "Ana", teamId: phone.staff.teamId, roles: [.salesRep]))
            try await phone.engine.save(customer)
            do {
                try await phone.signOut()
                Issue.record("signed out with a pending edit")
            } catch let error as ClientError {
                #expect(error.code == .invalidArgument)
            }
            await phone.close()
            do {
                _ = try await Self.signIn(server, folder, "phone", login: "bruno")
                Issue.record("Bruno signed into Ana's folder")
            } catch let error as ClientError {
                #expect(error.code == .sessionMismatch)
            }
            // A damaged session file is a clear error, not a crash.
            let directory = ClientDirectory(folder.path("phone"))
            try Data("{not json".utf8).write(to: URL(fileURLWithPath: directory.session))
            do {
                _ = try await RapportClient.open(directory: directory, options: ClientSessionTests.options())
                Issue.record("a damaged session opened")
            } catch let error as ClientError {
                #expect(error.code == .sessionMismatch)
            }
        }
    }
}
