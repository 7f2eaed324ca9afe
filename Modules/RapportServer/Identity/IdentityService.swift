import CoreMetrics
import Foundation
import Logging
import RapportAccess
import RapportCrypto
import RapportProtocol

/// Sign-in, tokens, key leases, lockout, and the status checks behind every authenticated
/// request. Stateless: everything lives in ``ServerStorage``, so a revocation takes effect on
/// the very next request (no cache).
///
/// ```swift
/// let identity = IdentityService(storage: storage, configuration: configuration, metrics: metrics, logger: logger)
/// let response = try await identity.login(LoginRequest(loginName: "ana", password: "…", device: info))
/// let caller = try await identity.authenticate(accessToken: response.tokens.accessToken)
/// ```
public struct IdentityService: Sendable {
    /// Where identity state lives.
    public let storage: any ServerStorage
    /// Lifetimes, lockout policy, hash cost.
    public let configuration: ServerConfiguration
    /// Counters for failures, lockouts, reuse, wipes.
    public let metrics: ServerMetrics
    /// Where security events are logged (never tokens or passwords).
    public let logger: Logger
    /// The current time (injected so tests can move it without sleeping).
    public let now: @Sendable () -> Date
    /// Where password hashes are computed (a dedicated thread pool, not the cooperative pool).
    public let hasher: PasswordHasher
    /// Where address blocks are recorded; `nil` records nothing.
    public let audit: AuditService?
    /// Serialises attempts that share a failure counter, so concurrent guesses count exactly.
    private let gate = LoginGate()

    /// Setting recorded once the first administrator exists.
    public static let bootstrapSetting = "bootstrapCompleted"
    /// How stale `lastSeenAt` may get before an authenticated request refreshes it.
    static let lastSeenGranularity: TimeInterval = 60

    /// Creates the service.
    public init(
        storage: any ServerStorage, configuration: ServerConfiguration, metrics: ServerMetrics, logger: Logger,
        audit: AuditService? = nil, hasher: PasswordHasher? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.configuration = configuration
        self.metrics = metrics
        self.logger = logger
        self.audit = audit
        self.hasher = hasher ?? PasswordHasher(threads: configuration.passwordHashingThreads)
        self.now = now
    }

    // MARK: - Bootstrap and staff management

    /// On the very first start, creates an "Administration" team and an administrator with a
    /// random password, and returns that credential (to print once). Later calls return `nil`.
    public func bootstrap() async throws -> BootstrapCredential? {
        if try await storage.setting(Self.bootstrapSetting) != nil { return nil }
        let team = Team(id: UUID(), name: "Administration")
        let admin = Staff(id: UUID(), name: "Administrator", teamId: team.id, roles: [.admin])
        let password = Self.randomToken(byteCount: 18)
        try await storage.saveTeam(team)
        try await storage.saveStaff(admin)
        try await setPassword(staffId: admin.id, loginName: "admin", password: password)
        try await storage.setSetting(Self.bootstrapSetting, ISO8601DateFormatter().string(from: now()))
        logger.notice("created the first administrator (login name 'admin'); its password was printed once on stdout")
        return BootstrapCredential(loginName: "admin", password: password)
    }

    /// Creates another administrator on the operator's authority (`rapport-server add-admin`),
    /// in the first administrator's team, with a random one-time password — the way out of a
    /// fresh installation's single administrator, whose widening changes (a second
    /// administrator among them) wait for a second administrator's approval.
    ///
    /// - Throws: ``ServerError/Code/conflict`` if the login name is taken;
    ///   ``ServerError/Code/malformedRequest`` for an empty name.
    public func addAdministrator(loginName: String, name: String) async throws -> (staff: Staff, credential: BootstrapCredential) {
        let displayName = name.trimmingCharacters(in: .whitespaces)
        guard !displayName.isEmpty, displayName.count <= 200 else {
            throw ServerError(.malformedRequest, "a name must have 1 to 200 characters")
        }
        if try await storage.credential(loginName: loginName.trimmingCharacters(in: .whitespaces)) != nil {
            throw ServerError(.conflict, "the login name '\(loginName)' is taken; choose another")
        }
        let organisation = try await storage.organisation()
        let teamId: UUID
        if let first = organisation.staff.first(where: { $0.roles.contains(.admin) }) {
            teamId = first.teamId
        } else {
            let team = Team(id: UUID(), name: "Administration")
            try await storage.saveTeam(team)
            teamId = team.id
        }
        let staff = Staff(id: UUID(), name: displayName, teamId: teamId, roles: [.admin])
        let password = Self.randomToken(byteCount: 18)
        try await storage.saveStaff(staff)
        do {
            try await setPassword(staffId: staff.id, loginName: loginName, password: password)
        } catch {
            var withdrawn = staff
            withdrawn.status = .departed
            withdrawn.roles = []
            try? await storage.saveStaff(withdrawn)
            throw error
        }
        return (staff, BootstrapCredential(loginName: loginName.trimmingCharacters(in: .whitespaces), password: password))
    }

    /// Sets (or replaces) a member of staff's login name and password.
    ///
    /// - Throws: ``ServerError/Code/malformedRequest`` for an empty name or a password shorter
    ///   than 8 characters; ``ServerError/Code/conflict`` if the name belongs to someone else.
    public func setPassword(staffId: UUID, loginName: String, password: String) async throws {
        let name = loginName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 100 else {
            throw ServerError(.malformedRequest, "a login name must have 1 to 100 characters")
        }
        guard password.unicodeScalars.count >= 8 else {
            throw ServerError(.malformedRequest, "a password must have at least 8 characters; choose a longer one")
        }
        if let existing = try await storage.credential(loginName: name), existing.staffId != staffId {
            throw ServerError(.conflict, "the login name '\(name)' belongs to someone else; choose another")
        }
        let hash = try await hasher.make(password: password, parameters: configuration.passwordHashing)
        try await storage.saveCredential(
            StaffCredential(staffId: staffId, loginName: name, passwordHash: hash, updatedAt: now()))
    }

    /// Changes a member of staff's status. Suspending or offboarding (`suspended`, `departed`)
    /// also revokes every token of every device; their next request is told to wipe.
    ///
    /// - Throws: ``ServerError/Code/notFound`` for an unknown id.
    public func setStatus(staffId: UUID, to status: StaffStatus) async throws {
        guard var staff = try await storage.staff(id: staffId) else {
            throw ServerError(.notFound, "no member of staff has id \(staffId); list staff to find the id")
        }
        staff.status = status
        try await storage.saveStaff(staff)
        if !status.mayAccess {
            for device in try await storage.devices(staffId: staffId) {
                try await storage.revokeTokens(deviceId: device.id, at: now())
            }
        }
        logger.notice("staff status changed", metadata: ["staff": "\(staffId)", "status": "\(status.rawValue)"])
    }

    /// Revokes a device: its tokens stop working and its next request is told to wipe.
    ///
    /// - Throws: ``ServerError/Code/notFound`` for an unknown id.
    public func revokeDevice(id: UUID) async throws {
        guard var device = try await storage.device(id: id) else {
            throw ServerError(.notFound, "no device has id \(id); list the person's devices to find the id")
        }
        device.device.status = .revoked
        device.revokedAt = now()
        try await storage.saveDevice(device)
        try await storage.revokeTokens(deviceId: id, at: now())
        logger.notice("device revoked", metadata: ["device": "\(id)", "staff": "\(device.device.staffId)"])
    }

    /// Clears a login name's failure counters, from every source (unlocks it).
    public func unlock(loginName: String) async throws {
        try await storage.clearLoginFailures(loginName: loginName)
    }

    // MARK: - Login

    /// Checks the password (with slow-down and lockout), registers or reuses the device and
    /// issues tokens and the device's key lease.
    ///
    /// Throttling (`Docs/Security.md`, "Sign-in throttling"): a client address that failed too
    /// often, across any login names, must wait and is then blocked for a while; a login name is
    /// slowed down and locked per *source* — failures from an address the person signed in from
    /// recently are counted apart from everyone else's, so a stranger cannot lock the owner out.
    /// Attempts that share a counter take turns (``LoginGate``), so simultaneous guesses count
    /// exactly; the password is checked on ``hasher``'s threads.
    ///
    /// - Parameters:
    ///   - request: the sign-in.
    ///   - clientAddress: the client's IP address (``ClientAddress``); `nil` when unknown, which
    ///     skips the per-address counting and makes no address familiar.
    /// - Throws: ``ServerError/Code/invalidCredentials``, ``ServerError/Code/rateLimited`` (with
    ///   a retry delay), ``ServerError/Code/accountLocked``, ``ServerError/Code/wipeRequired``
    ///   (revoked device or staff), ``ServerError/Code/conflict`` (device of another person),
    ///   ``ServerError/Code/malformedRequest``.
    public func login(_ request: LoginRequest, from clientAddress: String? = nil) async throws -> LoginResponse {
        try Self.check(request)
        let address = clientAddress.flatMap(ClientAddress.normalised).map(ClientAddress.throttleKey)
        if let address {
            // A waiting or blocked address is refused at once, without queueing for its turn.
            try refuseIfWaiting(try await storage.addressFailures(address: address), at: now())
        }
        let source = try await source(loginName: request.loginName, address: address, at: now())
        // Attempts sharing a counter (this address; this name from this source) take turns.
        var keys = ["name:\(request.loginName.lowercased())|\(source)"]
        if let address { keys.insert("address:\(address)", at: 0) }
        let credential = try await gate.withTurn(keys) {
            try await checkPassword(request, address: address, source: source)
        }
        let time = now()
        guard let staff = try await storage.staff(id: credential.staffId) else {
            throw ServerError(.invalidCredentials, "wrong login name or password; check both and try again")
        }
        if PasswordHash.needsRehash(credential.passwordHash, target: configuration.passwordHashing) {
            try await setPassword(staffId: staff.id, loginName: credential.loginName, password: request.password)
        }
        if !staff.status.mayAccess { throw wipe(.staffRevoked) }

        var device: RegisteredDevice
        if let existing = try await storage.device(id: request.device.id) {
            guard existing.device.staffId == staff.id else {
                throw ServerError(
                    .conflict,
                    "this device id is registered to another member of staff; reinstall the app to get a new device id")
            }
            if existing.device.status == .revoked { throw wipe(.deviceRevoked) }
            device = existing
            device.name = request.device.name
            device.platform = request.device.platform
        } else {
            device = RegisteredDevice(
                device: Device(id: request.device.id, staffId: staff.id), name: request.device.name,
                platform: request.device.platform, registeredAt: time, lastSeenAt: time,
                leaseKey: SecureRandom.bytes(count: 32), leaseExpiresAt: time)
        }
        device.lastSeenAt = time
        device.leaseExpiresAt = time.addingTimeInterval(configuration.leasePeriod)
        try await storage.saveDevice(device)
        let tokens = try await issueTokens(staffId: staff.id, deviceId: device.id, at: time)
        logger.info("signed in", metadata: ["staff": "\(staff.id)", "device": "\(device.id)"])
        return LoginResponse(
            tokens: tokens, lease: Self.lease(device), staff: SignedInStaff(staff), deviceId: device.id)
    }

    /// The throttled part of a sign-in, run while holding the attempt's turn: refuses a waiting or
    /// blocked address and a waiting or locked name, checks the password, and records the failure
    /// or the success. Returns the credential whose password matched.
    ///
    /// The counters live in the database and are shared by every server instance, so the
    /// attempt is *counted as a failure before the slow password check*, in the write unit that
    /// checked them: attempts in flight on other instances see it at once, and no number of
    /// simultaneous guesses spread over instances gets past a threshold. A correct password
    /// then takes the attempt's count back (the name's counter is cleared as before; the
    /// address's loses this attempt).
    private func checkPassword(_ request: LoginRequest, address: String?, source: String) async throws
        -> StaffCredential
    {
        let time = now()
        let throttle = configuration.loginThrottle
        let reservation = try await storage.write { tx in
            var addressFailures: AddressFailures?
            if let address {
                addressFailures = try await tx.addressFailures(address: address)
                try self.refuseIfWaiting(addressFailures, at: time)
            }
            let failures = try await tx.loginFailures(loginName: request.loginName, source: source)
            if let failures, failures.count >= throttle.lockoutAfter {
                throw Self.locked()
            }
            if let next = failures?.nextAttemptAt, next > time {
                throw ServerError(
                    .rateLimited, "too many failed sign-ins; wait before trying again",
                    retryAfterSeconds: Self.seconds(from: time, to: next))
            }
            let counted = address.map { self.addressFailure(address: $0, previous: addressFailures, at: time) }
            if let counted { try await tx.saveAddressFailures(counted) }
            let name = self.nameFailure(loginName: request.loginName, source: source, previous: failures, at: time)
            try await tx.saveLoginFailures(name)
            return LoginReservation(
                credential: try await tx.credential(loginName: request.loginName), addressBefore: addressFailures,
                address: counted, name: name)
        }
        let verified: Bool
        if let credential = reservation.credential {
            verified = try await hasher.verify(password: request.password, against: credential.passwordHash)
        } else {
            // Same cost as a verification, so response times do not reveal which names exist.
            _ = try? await hasher.make(password: request.password, parameters: configuration.passwordHashing)
            verified = false
        }
        guard let credential = reservation.credential, verified else {
            if let counted = reservation.address { await reportAddressFailure(counted) }
            try reportFailure(reservation.name)
        }
        try await storage.write { tx in
            try await tx.clearLoginFailures(loginName: request.loginName, source: source)
            if let address, let counted = reservation.address {
                // Take this attempt back from the address's count, unless it was reset since.
                let stored = try await tx.addressFailures(address: address)
                if stored == counted {
                    if let before = reservation.addressBefore {
                        try await tx.saveAddressFailures(before)
                    } else {
                        try await tx.clearAddressFailures(address: address)
                    }
                } else if var stored, stored.count > 1, stored.blockedUntil == nil {
                    stored.count -= 1
                    try await tx.saveAddressFailures(stored)
                }
                try await tx.recordSuccessfulLogin(loginName: credential.loginName, address: address, at: time)
            }
        }
        return credential
    }

    /// What an attempt counted before its password check.
    private struct LoginReservation: Sendable {
        var credential: StaffCredential?
        var addressBefore: AddressFailures?
        var address: AddressFailures?
        var name: LoginFailures
    }

    /// Throws ``ServerError/Code/rateLimited`` while the address must wait or is blocked.
    private func refuseIfWaiting(_ failures: AddressFailures?, at time: Date) throws(ServerError) {
        guard let next = failures?.nextAttemptAt, next > time else { return }
        metrics.addressRefusals.increment()
        throw ServerError(
            .rateLimited, "too many failed sign-ins from this network address; wait before trying again",
            retryAfterSeconds: Self.seconds(from: time, to: next))
    }

    /// The failure bucket of this sign-in: the address itself when the login name signed in
    /// successfully from it within the familiar period, else the shared unfamiliar bucket.
    private func source(loginName: String, address: String?, at time: Date) async throws -> String {
        guard let address,
            let last = try await storage.lastSuccessfulLogin(loginName: loginName, address: address),
            time.timeIntervalSince(last) < configuration.loginThrottle.familiarAddressPeriod
        else { return LoginFailures.unfamiliarSource }
        return address
    }

    /// The name's counter after one more failure.
    private func nameFailure(loginName: String, source: String, previous: LoginFailures?, at time: Date) -> LoginFailures {
        let count = (previous?.count ?? 0) + 1
        let delay = configuration.loginThrottle.delaySeconds(afterFailures: count)
        return LoginFailures(
            loginName: loginName, source: source, count: count, lastFailureAt: time,
            nextAttemptAt: delay > 0 ? time.addingTimeInterval(TimeInterval(delay)) : nil)
    }

    /// Reports a failure already counted (`failures`): metrics, the lockout warning, and the error.
    private func reportFailure(_ failures: LoginFailures) throws -> Never {
        metrics.loginFailures.increment()
        if failures.count >= configuration.loginThrottle.lockoutAfter {
            metrics.lockouts.increment()
            logger.warning(
                "login locked after repeated failures",
                metadata: [
                    "failures": "\(failures.count)",
                    "source":
                        "\(failures.source == LoginFailures.unfamiliarSource ? "unfamiliar addresses" : "a familiar address")",
                ])
            throw Self.locked()
        }
        throw ServerError(.invalidCredentials, "wrong login name or password; check both and try again")
    }

    /// The address's counter after one more failure: a wait after
    /// ``ServerConfiguration/LoginThrottle/addressSlowdownAfter`` failures, a block after
    /// ``ServerConfiguration/LoginThrottle/addressBlockAfter``. Failures are forgotten once the
    /// address has been quiet (no failure, no wait) for the block period; until then one more
    /// failure after a block blocks it again.
    private func addressFailure(address: String, previous: AddressFailures?, at time: Date) -> AddressFailures {
        let throttle = configuration.loginThrottle
        var count = previous?.count ?? 0
        if let previous {
            let busyUntil = max(previous.lastFailureAt, previous.nextAttemptAt ?? previous.lastFailureAt)
            if time.timeIntervalSince(busyUntil) >= throttle.addressBlockPeriod { count = 0 }
        }
        count += 1
        var failures = AddressFailures(address: address, count: count, lastFailureAt: time)
        if count >= throttle.addressBlockAfter {
            let until = time.addingTimeInterval(throttle.addressBlockPeriod)
            failures.blockedUntil = until
            failures.nextAttemptAt = until
        } else {
            let delay = throttle.addressDelaySeconds(afterFailures: count)
            if delay > 0 { failures.nextAttemptAt = time.addingTimeInterval(TimeInterval(delay)) }
        }
        return failures
    }

    /// Reports an address failure already counted: metrics, log and audit when it blocked.
    private func reportAddressFailure(_ failures: AddressFailures) async {
        guard failures.blockedUntil != nil else { return }
        let throttle = configuration.loginThrottle
        metrics.addressBlocks.increment()
        logger.warning(
            "client address blocked after repeated failed sign-ins",
            metadata: [
                "address": "\(failures.address)", "failures": "\(failures.count)",
                "minutes": "\(throttle.addressBlockMinutes)",
            ])
        do {
            try await audit?.record(
                .loginAddressBlocked, actor: nil, allowed: false,
                reason:
                    "address \(failures.address) blocked for \(throttle.addressBlockMinutes) min after \(failures.count) failed sign-ins"
            )
        } catch {
            logger.error("could not audit an address block", metadata: ["error": "\(error)"])
        }
    }

    private static func seconds(from time: Date, to next: Date) -> Int {
        max(1, Int(next.timeIntervalSince(time).rounded(.up)))
    }

    // MARK: - Tokens

    /// Exchanges a refresh token for a new pair. A refresh token works once: presenting it
    /// again revokes every token of its device (someone copied it) and fails with
    /// ``ServerError/Code/tokenReused``.
    public func refresh(refreshToken: String) async throws -> TokenPair {
        let time = now()
        guard let stored = try await storage.consumeRefreshToken(hash: Self.hash(refreshToken), at: time) else {
            throw Self.unauthorized()
        }
        _ = try await checkStanding(staffId: stored.staffId, deviceId: stored.deviceId)
        if stored.revokedAt != nil || time >= stored.expiresAt { throw Self.unauthorized() }
        if stored.usedAt != nil {
            try await storage.revokeTokens(deviceId: stored.deviceId, at: time)
            metrics.refreshTokenReuse.increment()
            logger.warning(
                "refresh token reused; revoked the device's tokens", metadata: ["device": "\(stored.deviceId)"])
            throw ServerError(
                .tokenReused,
                "this refresh token was already used, so every session of this device was ended; sign in again")
        }
        return try await issueTokens(staffId: stored.staffId, deviceId: stored.deviceId, at: time)
    }

    /// Resolves an access token to its staff member and device, checking both on this request.
    ///
    /// - Throws: ``ServerError/Code/wipeRequired`` if the device is revoked or the person is
    ///   suspended or gone; ``ServerError/Code/unauthorized`` for unknown, expired or revoked tokens.
    public func authenticate(accessToken: String) async throws -> AuthenticatedIdentity {
        let time = now()
        guard let stored = try await storage.token(hash: Self.hash(accessToken)), stored.kind == .access else {
            throw Self.unauthorized()
        }
        var identity = try await checkStanding(staffId: stored.staffId, deviceId: stored.deviceId)
        guard stored.revokedAt == nil else { throw Self.unauthorized() }
        guard time < stored.expiresAt else {
            throw ServerError(.unauthorized, "the access token has expired; get a new one with POST /v1/auth/refresh")
        }
        if time.timeIntervalSince(identity.device.lastSeenAt) > Self.lastSeenGranularity {
            identity.device.lastSeenAt = time
            try await storage.saveDevice(identity.device)
        }
        return identity
    }

    /// Ends the device's session: revokes all its tokens.
    public func logout(_ identity: AuthenticatedIdentity) async throws {
        try await storage.revokeTokens(deviceId: identity.device.id, at: now())
    }

    /// Extends the device's key lease by the lease period and returns it.
    public func renewLease(_ identity: AuthenticatedIdentity) async throws -> LeaseGrant {
        var device = identity.device
        device.leaseExpiresAt = now().addingTimeInterval(configuration.leasePeriod)
        device.lastSeenAt = now()
        try await storage.saveDevice(device)
        return Self.lease(device)
    }

    private func checkStanding(staffId: UUID, deviceId: UUID) async throws -> AuthenticatedIdentity {
        guard let device = try await storage.device(id: deviceId) else { throw Self.unauthorized() }
        if device.device.status == .revoked { throw wipe(.deviceRevoked) }
        guard let staff = try await storage.staff(id: staffId) else { throw wipe(.staffRevoked) }
        if !staff.status.mayAccess { throw wipe(.staffRevoked) }
        return AuthenticatedIdentity(staff: staff, device: device)
    }

    private func issueTokens(staffId: UUID, deviceId: UUID, at time: Date) async throws -> TokenPair {
        let access = Self.randomToken(byteCount: 32)
        let refresh = Self.randomToken(byteCount: 32)
        let accessExpiry = time.addingTimeInterval(configuration.accessTokenLifetime)
        let refreshExpiry = time.addingTimeInterval(configuration.refreshTokenLifetime)
        try await storage.saveToken(
            StoredToken(
                hash: Self.hash(access), kind: .access, deviceId: deviceId, staffId: staffId, issuedAt: time,
                expiresAt: accessExpiry))
        try await storage.saveToken(
            StoredToken(
                hash: Self.hash(refresh), kind: .refresh, deviceId: deviceId, staffId: staffId, issuedAt: time,
                expiresAt: refreshExpiry))
        return TokenPair(
            accessToken: access, accessTokenExpiresAt: accessExpiry, refreshToken: refresh,
            refreshTokenExpiresAt: refreshExpiry)
    }

    // MARK: - Helpers

    private func wipe(_ reason: WipeInstruction.Reason) -> ServerError {
        metrics.wipeInstructions.increment()
        let message =
            reason == .deviceRevoked
            ? "this device was revoked; its local data must be erased. Sign in again on a registered device."
            : "your access was withdrawn; this device's local data must be erased. Contact an administrator."
        return ServerError(.wipeRequired, message, wipe: WipeInstruction(reason: reason, message: message))
    }

    private static func unauthorized() -> ServerError {
        ServerError(.unauthorized, "the token is unknown, expired or revoked; sign in again with POST /v1/auth/login")
    }

    private static func locked() -> ServerError {
        ServerError(
            .accountLocked, "this account is locked after too many failed sign-ins; ask an administrator to unlock it")
    }

    private static func check(_ request: LoginRequest) throws {
        guard !request.loginName.isEmpty, request.loginName.count <= 100 else {
            throw ServerError(.malformedRequest, "field 'loginName' must have 1 to 100 characters")
        }
        guard !request.password.isEmpty, request.password.utf8.count <= 1_024 else {
            throw ServerError(.malformedRequest, "field 'password' must have 1 to 1024 bytes")
        }
        guard (1...100).contains(request.device.name.count) else {
            throw ServerError(.malformedRequest, "field 'device.name' must have 1 to 100 characters")
        }
        guard (1...40).contains(request.device.platform.count) else {
            throw ServerError(.malformedRequest, "field 'device.platform' must have 1 to 40 characters")
        }
    }

    /// base64url (no padding) of `byteCount` random bytes.
    static func randomToken(byteCount: Int) -> String {
        Data(SecureRandom.bytes(count: byteCount)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of the token's UTF-8 bytes: what storage keeps.
    static func hash(_ token: String) -> [UInt8] {
        SHA256.hash(Array(token.utf8))
    }

    private static func lease(_ device: RegisteredDevice) -> LeaseGrant {
        LeaseGrant(key: Data(device.leaseKey).base64EncodedString(), expiresAt: device.leaseExpiresAt)
    }
}
