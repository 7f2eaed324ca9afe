import Foundation
import GRDB
import Logging
import NIOHTTP1
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// A clock the tests move by hand.
private final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)

    var now: Date {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    func advance(_ seconds: TimeInterval) {
        lock.lock()
        current = current.addingTimeInterval(seconds)
        lock.unlock()
    }
}

@Suite("Sign-in throttling per login name, per source and per client address")
struct LoginThrottlingTests {
    static let owner = "198.51.100.10"
    static let stranger = "203.0.113.66"
    static let password = "correct horse battery"

    /// An identity service over the live server's storage and audit log, with a clock the test moves.
    private static func identity(_ server: LiveServer, clock: TestClock) -> IdentityService {
        IdentityService(
            storage: server.services.storage, configuration: server.services.configuration,
            metrics: server.services.metrics, logger: server.services.logger, audit: server.services.audit,
            now: { clock.now })
    }

    private static func attempt(
        _ identity: IdentityService, _ name: String, _ password: String, from address: String?
    ) async -> Result<LoginResponse, ServerError> {
        do {
            return .success(
                try await identity.login(
                    LoginRequest(
                        loginName: name, password: password, device: DeviceInfo(id: UUID(), name: "p", platform: "ios")),
                    from: address))
        } catch let error as ServerError {
            return .failure(error)
        } catch {
            return .failure(ServerError(.internalError, "\(error)"))
        }
    }

    private static func code(_ result: Result<LoginResponse, ServerError>) -> String {
        switch result {
        case .success: "ok"
        case .failure(let error): error.code.wireName
        }
    }

    private static func retryAfter(_ result: Result<LoginResponse, ServerError>) -> Int? {
        if case .failure(let error) = result { return error.retryAfterSeconds }
        return nil
    }

    // MARK: - Lockout by a stranger

    @Test func aStrangersFailuresDoNotLockTheOwnerOutAtAFamiliarAddress() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 3,
                addressSlowdownAfter: 100, addressBlockAfter: 100)
        }
        let clock = TestClock()
        let identity = Self.identity(server, clock: clock)
        try await server.addStaff(login: "ana")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")

        for expected in ["invalidCredentials", "invalidCredentials", "accountLocked"] {
            #expect(Self.code(await Self.attempt(identity, "ana", "guess guess", from: Self.stranger)) == expected)
        }
        // The stranger, even with the right password, stays locked out…
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.stranger)) == "accountLocked")
        // …while the owner signs in from the address they used before.
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        // From an address never used, the owner shares the strangers' (locked) bucket.
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: "192.0.2.1")) == "accountLocked")
        #expect(server.services.metrics.render().contains("rapport_login_lockouts_total 1"))

        // The administrator's unlock clears every bucket.
        try await identity.unlock(loginName: "ANA")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: "192.0.2.1")) == "ok")
        try await server.stop()
    }

    @Test func failuresAtAFamiliarAddressStillLockThatAddressUntilUnlocked() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 2,
                addressSlowdownAfter: 100, addressBlockAfter: 100)
        }
        let clock = TestClock()
        let identity = Self.identity(server, clock: clock)
        try await server.addStaff(login: "ana")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        #expect(Self.code(await Self.attempt(identity, "ana", "guess guess", from: Self.owner)) == "invalidCredentials")
        #expect(Self.code(await Self.attempt(identity, "ana", "guess guess", from: Self.owner)) == "accountLocked")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "accountLocked")
        // Unfamiliar addresses have their own, untouched bucket.
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.stranger)) == "ok")
        try await identity.unlock(loginName: "ana")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        try await server.stop()
    }

    @Test func anAddressStopsBeingFamiliarAfterTheFamiliarPeriod() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 1,
                addressSlowdownAfter: 100, addressBlockAfter: 100, familiarAddressDays: 30)
        }
        let clock = TestClock()
        let identity = Self.identity(server, clock: clock)
        try await server.addStaff(login: "ana")
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        #expect(Self.code(await Self.attempt(identity, "ana", "guess guess", from: Self.stranger)) == "accountLocked")
        clock.advance(29 * 86_400)
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        clock.advance(30 * 86_400 + 1)  // 30 days after that last success
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "accountLocked")
        try await server.stop()
    }

    // MARK: - Per-address slow-down and block

    @Test func anAddressFailingAcrossManyNamesIsSlowedThenBlockedAndOthersAreNot() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 10, maxDelaySeconds: 60, lockoutAfter: 100,
                addressSlowdownAfter: 3, addressBlockAfter: 5, addressBlockMinutes: 60)
        }
        let clock = TestClock()
        let identity = Self.identity(server, clock: clock)
        try await server.addStaff(login: "ana")
        var names = (1...100).map { "user\($0)" }.makeIterator()
        func spray() async -> Result<LoginResponse, ServerError> {
            await Self.attempt(identity, names.next()!, "Spring2026!", from: Self.stranger)
        }

        #expect(Self.code(await spray()) == "invalidCredentials")
        #expect(Self.code(await spray()) == "invalidCredentials")
        #expect(Self.code(await spray()) == "invalidCredentials")  // 3rd: the address must now wait 10 s
        let slowed = await spray()
        #expect(Self.code(slowed) == "rateLimited")
        #expect(Self.retryAfter(slowed) == 10)
        clock.advance(10)
        #expect(Self.code(await spray()) == "invalidCredentials")  // 4th: 20 s
        #expect(Self.retryAfter(await spray()) == 20)
        clock.advance(20)
        #expect(Self.code(await spray()) == "invalidCredentials")  // 5th: blocked for an hour
        let blocked = await spray()
        #expect(Self.code(blocked) == "rateLimited")
        #expect(Self.retryAfter(blocked) == 3600)
        // Even the right password of a real person is refused from the blocked address…
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.stranger)) == "rateLimited")
        // …while other addresses are not affected.
        #expect(Self.code(await Self.attempt(identity, "ana", Self.password, from: Self.owner)) == "ok")
        #expect(
            Self.code(await Self.attempt(identity, "user99", "wrong wrong", from: Self.owner)) == "invalidCredentials")

        let metrics = server.services.metrics.render()
        #expect(metrics.contains("rapport_login_address_blocks_total 1"))
        #expect(metrics.contains("rapport_login_address_refusals_total 4"))
        let audit = try await server.services.audit.entries(after: 0, limit: 1_000)
        let blocks = audit.map(\.event).filter { $0.action == AuditAction.loginAddressBlocked }
        #expect(blocks.count == 1)
        #expect(blocks.first?.allowed == false)
        #expect(blocks.first?.reason.contains(Self.stranger) == true)

        // When the block ends, one more failure blocks the address again at once…
        clock.advance(3600)
        #expect(Self.code(await spray()) == "invalidCredentials")
        #expect(Self.retryAfter(await spray()) == 3600)
        // …but after a quiet block period its failures are forgotten.
        clock.advance(2 * 3600)
        #expect(Self.code(await spray()) == "invalidCredentials")
        #expect(Self.code(await spray()) == "invalidCredentials")
        #expect(server.services.metrics.render().contains("rapport_login_address_blocks_total 2"))

        // Maintenance reports the blocked addresses and purges quiet ones.
        let storage = server.services.storage
        #expect(try await storage.blockedAddressCount(at: clock.now) == 0)
        #expect(try await storage.addressFailures(address: Self.stranger) != nil)
        _ = try await storage.purgeLoginRecords(
            quietSince: clock.now.addingTimeInterval(3600 + 1), familiarSince: clock.now)
        #expect(try await storage.addressFailures(address: Self.stranger) == nil)
        try await server.stop()
    }

    @Test func aSuccessfulSignInDoesNotResetTheAddressCounter() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 100,
                addressSlowdownAfter: 3, addressBlockAfter: 3)
        }
        let clock = TestClock()
        let identity = Self.identity(server, clock: clock)
        try await server.addStaff(login: "mallory")
        for name in ["a1", "a2"] {
            #expect(
                Self.code(await Self.attempt(identity, name, "guess guess", from: Self.stranger))
                    == "invalidCredentials")
        }
        // An attacker with an account of their own cannot launder the counter.
        #expect(Self.code(await Self.attempt(identity, "mallory", Self.password, from: Self.stranger)) == "ok")
        #expect(
            Self.code(await Self.attempt(identity, "a3", "guess guess", from: Self.stranger)) == "invalidCredentials")
        #expect(Self.code(await Self.attempt(identity, "mallory", Self.password, from: Self.stranger)) == "rateLimited")
        try await server.stop()
    }

    @Test func anIPv6NetworkIsCountedAsOneAddress() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 100,
                addressSlowdownAfter: 2, addressBlockAfter: 2)
        }
        let identity = Self.identity(server, clock: TestClock())
        #expect(
            Self.code(await Self.attempt(identity, "x1", "guess guess", from: "2001:db8:1:2::1"))
                == "invalidCredentials")
        #expect(
            Self.code(await Self.attempt(identity, "x2", "guess guess", from: "2001:db8:1:2::2"))
                == "invalidCredentials")
        #expect(
            Self.code(await Self.attempt(identity, "x3", "guess guess", from: "2001:db8:1:2:ffff::3")) == "rateLimited")
        #expect(
            Self.code(await Self.attempt(identity, "x4", "guess guess", from: "2001:db8:1:3::1"))
                == "invalidCredentials")
        try await server.stop()
    }

    // MARK: - Concurrent guesses

    @Test func simultaneousGuessesFromOneAddressCannotOvershootTheBlock() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 100,
                addressSlowdownAfter: 5, addressBlockAfter: 5)
        }
        let identity = Self.identity(server, clock: TestClock())
        let codes = await withTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                group.addTask {
                    Self.code(await Self.attempt(identity, "n\(index)", "guess guess", from: Self.stranger))
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(codes.filter { $0 == "invalidCredentials" }.count == 5)
        #expect(codes.filter { $0 == "rateLimited" }.count == 35)
        #expect(server.services.metrics.render().contains("rapport_login_failures_total 5"))
        try await server.stop()
    }

    @Test func simultaneousGuessesAgainstOneNameCannotOvershootTheLockout() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 3,
                addressSlowdownAfter: 100, addressBlockAfter: 100)
        }
        try await server.addStaff(login: "ana")
        let identity = Self.identity(server, clock: TestClock())
        let codes = await withTaskGroup(of: String.self) { group in
            for index in 0..<30 {  // a botnet: every guess from another address
                group.addTask {
                    Self.code(await Self.attempt(identity, "ana", "guess \(index)", from: "192.0.2.\(index + 1)"))
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(codes.filter { $0 == "invalidCredentials" }.count == 2)
        #expect(codes.filter { $0 == "accountLocked" }.count == 28)
        #expect(server.services.metrics.render().contains("rapport_login_failures_total 3"))
        try await server.stop()
    }

    // MARK: - Over HTTP

    @Test func overHTTPABlockedAddressIsRefusedAndAnotherBehindTheTrustedProxyIsNot() async throws {
        let server = try await TestServer.start {
            $0.trustedProxies = ["127.0.0.1"]
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 600, maxDelaySeconds: 3600, lockoutAfter: 100,
                addressSlowdownAfter: 2, addressBlockAfter: 2, addressBlockMinutes: 60)
        }
        try await server.addStaff(login: "ana")
        func login(_ name: String, _ password: String, forwardedFor: String?) async throws -> LiveServer.Reply {
            var request = HTTPClientRequestBody.login(name, password)
            if let forwardedFor { request.headers.add(name: "X-Forwarded-For", value: forwardedFor) }
            return try await server.send(request)
        }
        // The client claims an address (ignored: left of what the proxy appended).
        #expect(try await login("u1", "Spring2026!", forwardedFor: "10.9.9.9, \(Self.stranger)").status == 401)
        #expect(try await login("u2", "Spring2026!", forwardedFor: Self.stranger).status == 401)
        let refused = try await login("u3", "Spring2026!", forwardedFor: "1.2.3.4, \(Self.stranger)")
        #expect(refused.status == 429)
        #expect(refused.errorCode == "rateLimited")
        // About an hour: the bound leaves minutes for a loaded machine (no wall-clock timing).
        #expect(refused.headers.first(name: "Retry-After").flatMap(Int.init) ?? 0 > 3_000)
        // Another client behind the same proxy signs in.
        #expect(try await login("ana", Self.password, forwardedFor: Self.owner).status == 200)
        // The second failure blocked the address, even for a right password; maintenance reports it.
        let blocked = try await login("ana", Self.password, forwardedFor: Self.stranger)
        #expect(blocked.status == 429)
        #expect(blocked.headers.first(name: "Retry-After").flatMap(Int.init) ?? 0 > 3_000)
        await MaintenanceService(services: server.services).runOnce()
        #expect(server.services.metrics.render().contains("rapport_login_blocked_addresses 1"))
        try await server.stop()
    }

    @Test func withoutTrustedProxiesXForwardedForIsIgnored() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(
                slowdownAfter: 100, baseDelaySeconds: 600, maxDelaySeconds: 3600, lockoutAfter: 100,
                addressSlowdownAfter: 2, addressBlockAfter: 3)
        }
        for (index, forged) in ["192.0.2.1", "192.0.2.2"].enumerated() {
            var request = HTTPClientRequestBody.login("u\(index)", "Spring2026!")
            request.headers.add(name: "X-Forwarded-For", value: forged)
            #expect(try await server.send(request).status == 401)
        }
        var request = HTTPClientRequestBody.login("u9", "Spring2026!")
        request.headers.add(name: "X-Forwarded-For", value: "192.0.2.3")
        #expect(try await server.send(request).status == 429)  // all counted under 127.0.0.1
        try await server.stop()
    }

    // MARK: - Client address resolution

    @Test func clientAddressResolution() {
        let proxies = ["10.0.0.5", "10.0.0.6"]
        #expect(
            ClientAddress.resolve(peer: "203.0.113.1", forwardedFor: ["1.2.3.4"], trustedProxies: proxies)
                == "203.0.113.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: [], trustedProxies: proxies) == "10.0.0.5")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["1.2.3.4, 203.0.113.1"], trustedProxies: proxies)
                == "203.0.113.1")
        #expect(
            ClientAddress.resolve(
                peer: "10.0.0.5", forwardedFor: ["1.2.3.4", "203.0.113.1, 10.0.0.6"], trustedProxies: proxies)
                == "203.0.113.1")
        #expect(
            ClientAddress.resolve(peer: "10.0.0.5", forwardedFor: ["junk, 10.0.0.6"], trustedProxies: proxies)
                == "10.0.0.6")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["1.2.3.4"], trustedProxies: proxies) == nil)
        #expect(
            ClientAddress.resolve(peer: "::ffff:10.0.0.5", forwardedFor: ["[2001:db8::1]"], trustedProxies: proxies)
                == "2001:db8::1")
        #expect(ClientAddress.normalised("2001:DB8:0:0::1") == "2001:db8::1")
        #expect(ClientAddress.normalised("fe80::1%eth0") == "fe80::1")
        #expect(ClientAddress.normalised("example.com") == nil)
        #expect(ClientAddress.throttleKey("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64")
        #expect(ClientAddress.throttleKey("192.0.2.7") == "192.0.2.7")
    }

    // MARK: - Storage

    @Test func upgradingKeepsExistingCountersInTheUnfamiliarBucket() async throws {
        let directory = try TemporaryDirectory(prefix: "login-migration")
        defer { directory.remove() }
        let path = directory.path("rapport.sqlite")
        let queue = try DatabaseQueue(path: path)
        try SQLiteServerStorage.migrator.migrate(queue, upTo: "v1-identity")
        try await queue.write { db in
            try db.execute(
                sql:
                    "INSERT INTO loginFailure (loginName, count, lastFailureAt, nextAttemptAt) VALUES ('ana', 10, 1, NULL)"
            )
        }
        try queue.close()
        let storage = try SQLiteServerStorage(path: path)
        let failures = try await storage.loginFailures(loginName: "ANA", source: LoginFailures.unfamiliarSource)
        #expect(failures?.count == 10)
        try await storage.clearLoginFailures(loginName: "ana")
        #expect(try await storage.loginFailures(loginName: "ana", source: LoginFailures.unfamiliarSource) == nil)
    }
}

/// A sign-in request the tests can add headers to.
private enum HTTPClientRequestBody {
    static func login(_ name: String, _ password: String) -> LiveServer.RawRequest {
        LiveServer.RawRequest(
            method: .POST, path: "/v1/auth/login",
            body: try! JSONEncoder().encode(
                LoginRequest(
                    loginName: name, password: password, device: DeviceInfo(id: UUID(), name: "p", platform: "ios"))))
    }
}
