import Foundation
import GRDB
import NIOHTTP1
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

@Suite("Sign-in, tokens, leases, lockout, revocation")
struct AuthTests {
    @Test func loginIssuesTokensAndLease() async throws {
        let server = try await TestServer.start()
        let staff = try await server.addStaff(login: "ana")
        let device = UUID()
        let login = try await server.login("ANA", device: device)
        #expect(login.staff.id == staff.id)
        #expect(login.deviceId == device)
        #expect(Data(base64Encoded: login.lease.key)?.count == 32)
        #expect(login.tokens.accessToken.count == 43)  // 32 bytes, base64url without padding
        #expect(login.lease.expiresAt.timeIntervalSinceNow > 71 * 3600)

        let lease = try await server.send(.POST, "/v1/auth/lease", token: login.tokens.accessToken)
        #expect(lease.status == 200)
        #expect(lease.json["key"] as? String == login.lease.key)

        // The same device signing in again keeps its lease key.
        let again = try await server.login("ana", device: device)
        #expect(again.lease.key == login.lease.key)

        let logout = try await server.send(.POST, "/v1/auth/logout", token: login.tokens.accessToken)
        #expect(logout.status == 204)
        let after = try await server.send(.POST, "/v1/auth/lease", token: again.tokens.accessToken)
        #expect(after.status == 401)
        #expect(after.errorCode == "unauthorized")
        try await server.stop()
    }

    @Test func tokensAreStoredOnlyAsHashes() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana")
        let login = try await server.login("ana")
        let storage = try #require(server.services.storage as? SQLiteServerStorage)
        let raw = try await storage.database.read { db in
            try String.fetchAll(db, sql: "SELECT hex(hash) FROM token")
        }
        #expect(raw.count == 2)
        let accessHex = Data(login.tokens.accessToken.utf8).map { String(format: "%02X", $0) }.joined()
        #expect(!raw.contains(accessHex))
        try await server.stop()
    }

    @Test func wrongPasswordAndUnknownNameAreRefusedAlike() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana")
        for name in ["ana", "nobody"] {
            let reply = try await server.post(
                "/v1/auth/login",
                LoginRequest(
                    loginName: name, password: "wrong password",
                    device: DeviceInfo(id: UUID(), name: "p", platform: "ios")))
            #expect(reply.status == 401)
            #expect(reply.errorCode == "invalidCredentials")
            #expect(!reply.errorMessage.contains("wrong password"))
        }
        #expect(server.services.metrics.render().contains("rapport_login_failures_total 2"))
        try await server.stop()
    }

    @Test func repeatedFailuresAreDelayedWithRetryAfter() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(slowdownAfter: 2, baseDelaySeconds: 600, maxDelaySeconds: 3600, lockoutAfter: 10)
        }
        try await server.addStaff(login: "ana")
        let bad = LoginRequest(
            loginName: "ana", password: "nope nope", device: DeviceInfo(id: UUID(), name: "p", platform: "ios"))
        #expect(try await server.post("/v1/auth/login", bad).status == 401)
        #expect(try await server.post("/v1/auth/login", bad).status == 401)
        var good = bad
        good.password = "correct horse battery"
        let throttled = try await server.post("/v1/auth/login", good)
        #expect(throttled.status == 429)
        #expect(throttled.errorCode == "rateLimited")
        let retryAfter = try #require(throttled.headers.first(name: "Retry-After").flatMap(Int.init))
        #expect(retryAfter > 500 && retryAfter <= 600)
        #expect(server.services.configuration.loginThrottle.delaySeconds(afterFailures: 3) == 1200)
        try await server.stop()
    }

    @Test func lockoutAfterThresholdUntilUnlocked() async throws {
        let server = try await TestServer.start {
            $0.loginThrottle = .init(slowdownAfter: 1, baseDelaySeconds: 0, maxDelaySeconds: 0, lockoutAfter: 3)
        }
        let ana = try await server.addStaff(login: "ana")
        let bad = LoginRequest(
            loginName: "ana", password: "nope nope", device: DeviceInfo(id: UUID(), name: "p", platform: "ios"))
        #expect(try await server.post("/v1/auth/login", bad).status == 401)
        #expect(try await server.post("/v1/auth/login", bad).status == 401)
        let third = try await server.post("/v1/auth/login", bad)
        #expect(third.status == 403)
        #expect(third.errorCode == "accountLocked")
        var good = bad
        good.password = "correct horse battery"
        let locked = try await server.post("/v1/auth/login", good)
        #expect(locked.errorCode == "accountLocked")
        // An administrator lifts the lockout through the admin API; it is audited.
        let admin = try await server.login(server.admin.loginName, password: server.admin.password).tokens.accessToken
        let unlocked = try await server.send(.POST, "/v1/admin/staff/\(ana.id.uuidString)/unlock", token: admin)
        #expect(unlocked.status == 200, "\(unlocked.text)")
        #expect(try await server.services.audit.query(AuditQuery(action: .accountUnlocked)).entries.contains { $0.recordIds.contains(ana.id) })
        #expect(try await server.post("/v1/auth/login", good).status == 200)
        #expect(try await server.send(.POST, "/v1/admin/staff/\(UUID().uuidString)/unlock", token: admin).status == 404)
        #expect(server.services.metrics.render().contains("rapport_login_lockouts_total 1"))
        try await server.stop()
    }

    @Test func refreshRotatesAndReuseRevokesTheDevice() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana")
        let login = try await server.login("ana")
        let first = try await server.post("/v1/auth/refresh", RefreshRequest(refreshToken: login.tokens.refreshToken))
        #expect(first.status == 200)
        let pair = try rapportDecoder.decode(TokenPair.self, from: first.body)
        #expect(pair.refreshToken != login.tokens.refreshToken)
        #expect(try await server.send(.POST, "/v1/auth/lease", token: pair.accessToken).status == 200)

        let reuse = try await server.post("/v1/auth/refresh", RefreshRequest(refreshToken: login.tokens.refreshToken))
        #expect(reuse.status == 401)
        #expect(reuse.errorCode == "tokenReused")
        // The whole family is gone: the legitimately rotated pair no longer works either.
        #expect(
            try await server.post("/v1/auth/refresh", RefreshRequest(refreshToken: pair.refreshToken)).status == 401)
        #expect(try await server.send(.POST, "/v1/auth/lease", token: pair.accessToken).status == 401)
        #expect(try await server.send(.POST, "/v1/auth/lease", token: login.tokens.accessToken).status == 401)
        try await server.stop()
    }

    @Test func revokedDeviceIsToldToWipeOnTheNextRequest() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana")
        let login = try await server.login("ana")
        #expect(try await server.send(.POST, "/v1/auth/lease", token: login.tokens.accessToken).status == 200)
        try await server.services.identity.revokeDevice(id: login.deviceId)

        let reply = try await server.send(.POST, "/v1/auth/lease", token: login.tokens.accessToken)
        #expect(reply.status == 403)
        let body = try rapportDecoder.decode(SyncErrorBody.self, from: reply.body)
        #expect(body.error.code == "wipeRequired")
        #expect(body.wipe?.reason == .deviceRevoked)
        #expect(body.syncError.code == .wipeRequired)
        // Refresh and a fresh login from the same device get the same instruction.
        let refresh = try await server.post("/v1/auth/refresh", RefreshRequest(refreshToken: login.tokens.refreshToken))
        #expect(refresh.errorCode == "wipeRequired")
        let relogin = try await server.post(
            "/v1/auth/login",
            LoginRequest(
                loginName: "ana", password: "correct horse battery",
                device: DeviceInfo(id: login.deviceId, name: "p", platform: "ios")))
        #expect(relogin.errorCode == "wipeRequired")
        try await server.stop()
    }

    @Test(arguments: [StaffStatus.suspended, .departed])
    func suspendedOrDepartedStaffAreToldToWipe(status: StaffStatus) async throws {
        let server = try await TestServer.start()
        let staff = try await server.addStaff(login: "ana")
        let login = try await server.login("ana")
        try await server.services.identity.setStatus(staffId: staff.id, to: status)
        let reply = try await server.send(.POST, "/v1/auth/lease", token: login.tokens.accessToken)
        #expect(reply.status == 403)
        let body = try rapportDecoder.decode(SyncErrorBody.self, from: reply.body)
        #expect(body.error.code == "wipeRequired")
        #expect(body.wipe?.reason == .staffRevoked)
        try await server.stop()
    }

    @Test func noticePeriodStaffMayStillSignIn() async throws {
        let server = try await TestServer.start()
        try await server.addStaff(login: "ana", status: .notice)
        #expect(try await server.login("ana").staff.status == StaffStatus.notice.rawValue)
        try await server.stop()
    }

    @Test func authenticatedRoutesNeedABearerToken() async throws {
        let server = try await TestServer.start()
        let missing = try await server.send(.POST, "/v1/auth/lease")
        #expect(missing.status == 401)
        #expect(missing.headers.first(name: "WWW-Authenticate") == "Bearer")
        let bogus = try await server.send(.POST, "/v1/auth/lease", token: "not-a-token")
        #expect(bogus.status == 401)
        #expect(bogus.errorCode == "unauthorized")
        try await server.stop()
    }
}

@Suite("Device writes and the organisation version")
struct DeviceVersionTests {
    @Test("signing in again, renewing the lease and last-seen updates do not rebuild the access policy; a revocation does")
    func onlyRealDeviceChangesBumpTheVersion() async throws {
        let server = try await TestServer.start()
        do {
            let storage = try #require(server.services.storage as? SQLiteServerStorage)
            try await server.addStaff(login: "ana")
            let device = UUID()
            let first = try await server.login("ana", device: device)
            let registered = try await storage.organisationVersion()
            _ = try await server.login("ana", device: device)
            #expect(try await server.send(.POST, "/v1/auth/lease", token: first.tokens.accessToken).status == 200)
            var row = try #require(try await storage.device(id: device))
            row.lastSeenAt = row.lastSeenAt.addingTimeInterval(120)
            try await storage.saveDevice(row)
            #expect(try await storage.organisationVersion() == registered)
            try await server.services.identity.revokeDevice(id: device)
            #expect(try await storage.organisationVersion() > registered)
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }
}
