import Foundation
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportStore

/// Keeps a device's session alive: hands out a valid access token (refreshing the pair when
/// it has expired or the server refuses it, and saving the new pair at once, because a refresh
/// token works only once), renews the key lease, and records contact with the server.
public actor SessionManager {
    /// The HTTP connection.
    public nonisolated let http: ClientHTTP
    let keychain: any DeviceKeychain
    let path: String
    let now: @Sendable () -> Date
    var session: SavedSession
    var refreshing: Task<SessionTokens, any Error>?
    var savedContactAt: Date?

    init(session: SavedSession, http: ClientHTTP, keychain: any DeviceKeychain, path: String, now: @escaping @Sendable () -> Date) {
        self.session = session
        self.http = http
        self.keychain = keychain
        self.path = path
        self.now = now
    }

    /// Who is signed in.
    public var staff: SignedInUser { session.staff }
    /// This device.
    public var device: DeviceDescription { session.device }
    /// When the key lease ends.
    public var leaseExpiresAt: Date { session.leaseExpiresAt }
    /// When this device last completed a request to the server.
    public var lastContactAt: Date? { session.lastContactAt }

    // MARK: - Tokens

    /// A current access token, refreshing the pair first if it has expired (30 s margin).
    public func accessToken() async throws(ClientError) -> String {
        if session.secrets.tokens.accessTokenExpiresAt.timeIntervalSince(now()) < 30 { try await refresh() }
        return session.secrets.tokens.accessToken
    }

    /// Exchanges the refresh token for a new pair and saves it. Concurrent callers share one
    /// exchange: a refresh token works once, and presenting it twice would revoke the device's
    /// tokens.
    ///
    /// - Throws: ``ClientError/Code/sessionExpired`` if the refresh token is expired or was
    ///   used already; ``ClientError/Code/wiped`` if the device or person was revoked.
    public func refresh() async throws(ClientError) {
        if let refreshing {
            try await Self.value(of: refreshing)
            return
        }
        struct Body: Encodable { var refreshToken: String }
        let body = try Self.encode(Body(refreshToken: session.secrets.tokens.refreshToken))
        let http = self.http
        let task = Task<SessionTokens, any Error> {
            let reply = try await http.send(.POST, "/v1/auth/refresh", body: body)
            guard reply.isSuccess else { throw Self.failure(reply, doing: "refreshing the session") }
            return try Self.decode(SessionTokens.self, reply, doing: "refreshing the session")
        }
        refreshing = task
        defer { refreshing = nil }
        do {
            session.secrets.tokens = try await task.value
        } catch {
            throw Self.clientError(error)
        }
        try markContact(saving: true)
    }

    private static func value(of task: Task<SessionTokens, any Error>) async throws(ClientError) {
        do {
            _ = try await task.value
        } catch {
            throw clientError(error)
        }
    }

    private static func clientError(_ error: any Error) -> ClientError {
        (error as? ClientError) ?? ClientError(.unreachable, "the session could not be refreshed (\(error)); try again")
    }

    /// Sends an authenticated request; if the server refuses the access token, refreshes once
    /// (unless another request already did) and sends again.
    public func send(_ method: HTTPMethod, _ path: String, body: Data? = nil) async throws(ClientError) -> ClientHTTP.Reply {
        let token = try await accessToken()
        var reply = try await http.send(method, path, body: body, token: token)
        if reply.status == 401 {
            if session.secrets.tokens.accessToken == token { try await refresh() }
            reply = try await http.send(method, path, body: body, token: session.secrets.tokens.accessToken)
        }
        if reply.isSuccess { try? markContact() }
        return reply
    }

    // MARK: - Lease

    /// The cached lease key, or `nil` if the lease expired on this device (the key was
    /// then shredded from the session file) or the clock was set back.
    func usableLeaseKey() throws(ClientError) -> ClientKey? {
        let current = now()
        if current < session.latestLocalTime.addingTimeInterval(-3600) { return nil }
        if current >= session.leaseExpiresAt {
            if session.secrets.leaseKey != nil {
                session.secrets.leaseKey = nil
                try save()
            }
            return nil
        }
        if current > session.latestLocalTime {
            session.latestLocalTime = current
            try save()
        }
        return session.leaseKey
    }

    /// Renews the key lease with the server (`POST /v1/auth/lease`) and caches the key.
    @discardableResult
    public func renewLease() async throws(ClientError) -> Date {
        let reply = try await send(.POST, "/v1/auth/lease")
        guard reply.isSuccess else { throw Self.failure(reply, doing: "renewing the key lease") }
        let lease = try Self.decode(KeyLease.self, reply, doing: "renewing the key lease")
        guard let data = Data(base64Encoded: lease.key), data.count == 32 else {
            throw ClientError(.unexpectedResponse, "the server's lease key is not 32 bytes of base64; check that client and server versions match")
        }
        session.secrets.leaseKey = lease.key
        session.leaseExpiresAt = Self.localExpiry(of: lease, reply: reply, now: now())
        try markContact(saving: true)
        return session.leaseExpiresAt
    }

    /// The lease's end on this device's clock: the lease's remaining time by the server's clock
    /// (its `Date` header) added to the local time, so a device clock that is off does not
    /// shorten or stretch the lease.
    static func localExpiry(of lease: KeyLease, reply: ClientHTTP.Reply, now: Date) -> Date {
        guard let serverNow = reply.serverDate else { return lease.expiresAt }
        return now.addingTimeInterval(lease.expiresAt.timeIntervalSince(serverNow))
    }

    /// Ends the session on the server (best effort: an unreachable server is not an error).
    func logout() async {
        _ = try? await send(.POST, "/v1/auth/logout")
    }

    // MARK: - Persistence

    /// Notes a completed request. Saving re-seals and fsyncs the session file, so a plain
    /// request saves the time at most once a minute; new tokens or a new lease save at once.
    func markContact(saving: Bool = false) throws(ClientError) {
        let current = now()
        session.lastContactAt = current
        if current > session.latestLocalTime { session.latestLocalTime = current }
        if saving || savedContactAt.map({ current.timeIntervalSince($0) >= 60 }) ?? true {
            try save()
            savedContactAt = current
        }
    }

    func save() throws(ClientError) {
        try session.save(to: path, keychain: keychain)
    }

    // MARK: - Helpers

    static func encode(_ value: some Encodable) throws(ClientError) -> Data {
        do {
            return try RapportJSON.encoder().encode(value)
        } catch {
            throw ClientError(.invalidArgument, "cannot encode the request: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ reply: ClientHTTP.Reply, doing what: String) throws(ClientError) -> T {
        do {
            return try RapportJSON.decoder().decode(T.self, from: reply.body)
        } catch {
            throw ClientError(
                .unexpectedResponse, "the server's answer when \(what) is not what this client understands (\(error)); check that client and server versions match")
        }
    }

    /// The ``ClientError`` for a failed answer.
    static func failure(_ reply: ClientHTTP.Reply, doing what: String) -> ClientError {
        let body = reply.errorBody
        let serverCode = body?.error.code
        let message = body?.error.message ?? "the server answered HTTP \(reply.status) when \(what)"
        let code: ClientError.Code =
            switch serverCode {
            case "invalidCredentials": .invalidCredentials
            case "rateLimited": .rateLimited
            case "accountLocked": .accountLocked
            case "wipeRequired": .wiped
            case "unauthorized", "tokenReused": .sessionExpired
            case "forbidden": .forbidden
            default:
                body?.wipe != nil ? .wiped : reply.status == 401 ? .sessionExpired : reply.status == 403 ? .forbidden : .server
            }
        let advice = code == .sessionExpired ? " — sign in again" : ""
        return ClientError(
            code, message + advice, retryAfterSeconds: body?.error.retryAfterSeconds ?? reply.retryAfterSeconds,
            serverCode: serverCode, httpStatus: reply.status)
    }
}
