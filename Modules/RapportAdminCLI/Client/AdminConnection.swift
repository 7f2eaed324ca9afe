import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Talks to one Rapport server over HTTP(S) with AsyncHTTPClient: sends JSON, decodes the
/// API's error body into an ``AdminError`` whose message says what to do, and keeps a saved
/// session alive (refreshes the access token when it has expired or is refused, saving the
/// new pair).
///
/// ```swift
/// let connection = try AdminConnection(server: address, credentials: .session(store, saved))
/// let staff = try await connection.json(.GET, "/v1/admin/staff")
/// try await connection.close()
/// ```
public actor AdminConnection {
    /// How requests are authenticated.
    public enum Credentials: Sendable {
        /// No token (login, health).
        case none
        /// A fixed token (`--token`, `RAPPORT_TOKEN`); never refreshed.
        case token(String)
        /// The saved session, refreshed and re-saved as needed.
        case session(SessionStore, Session)
    }

    /// The HTTP methods the admin API uses.
    public enum Method: String, Sendable {
        case GET, POST, PUT, PATCH, DELETE

        var nio: HTTPMethod {
            switch self {
            case .GET: .GET
            case .POST: .POST
            case .PUT: .PUT
            case .PATCH: .PATCH
            case .DELETE: .DELETE
            }
        }
    }

    /// A raw reply.
    public struct Reply: Sendable {
        /// HTTP status.
        public var status: Int
        /// Headers.
        public var headers: HTTPHeaders
        /// Body.
        public var body: Data

        /// The first value of a header, or `nil`.
        public func header(_ name: String) -> String? { headers.first(name: name) }
    }

    /// The server.
    public nonisolated let server: ServerAddress
    private var credentials: Credentials
    private let client: HTTPClient
    private let now: @Sendable () -> Date
    private var closed = false
    private let dryRun: Bool
    private var plannedEffect: String?

    /// Opens a connection (no request is sent yet).
    ///
    /// - Parameters:
    ///   - caFile: PEM certificates to trust in addition to the system's.
    /// - Throws: ``AdminError/Code/local`` if `caFile` cannot be read.
    public init(
        server: ServerAddress, credentials: Credentials, caFile: String? = nil,
        now: @escaping @Sendable () -> Date = { Date() }, dryRun: Bool = false
    ) throws(AdminError) {
        self.server = server
        self.dryRun = dryRun
        self.credentials = credentials
        self.now = now
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch {
                throw AdminError(
                    .local, "cannot read the CA file \(caFile); give a PEM file of certificates (--ca-file or RAPPORT_CA_FILE)")
            }
        }
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        let configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, timeout: .init(connect: .seconds(10), read: .seconds(120)), connectionPool: pool)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Shuts the HTTP client down. Call once when done.
    public func close() async {
        guard !closed else { return }
        closed = true
        try? await client.shutdown()
    }

    /// The saved session, if this connection uses one (after any refresh).
    public var session: Session? {
        if case .session(_, let session) = credentials { return session }
        return nil
    }

    // MARK: - Requests

    /// Sends a request and returns the decoded JSON (or `.null` for an empty body).
    ///
    /// - Throws: ``AdminError`` — ``AdminError/Code/server`` with the server's message for any
    ///   non-2xx answer, ``AdminError/Code/unreachable``, ``AdminError/Code/sessionExpired``.
    @discardableResult
    public func json(
        _ method: Method, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        authenticated: Bool = true
    ) async throws(AdminError) -> JSONValue {
        let reply = try await send(method, path, query: query, body: body, authenticated: authenticated)
        if reply.body.isEmpty { return .null }
        return try JSONValue(data: reply.body)
    }

    /// Sends a request, decoding the reply as `type`.
    public func decode<T: Decodable>(
        _ type: T.Type, _ method: Method, _ path: String, body: (any Encodable & Sendable)? = nil,
        authenticated: Bool = true
    ) async throws(AdminError) -> T {
        let reply = try await send(method, path, body: body, authenticated: authenticated)
        do {
            return try RapportWire.decoder.decode(T.self, from: reply.body)
        } catch {
            throw AdminError(
                .unexpectedResponse,
                "the server's answer to \(method.rawValue) \(path) is not what this version of rapport-admin expects; check that client and server versions match"
            )
        }
    }

    /// Records what the next change will do, for the plan `--dry-run` prints.
    public func describeEffect(_ text: String) {
        plannedEffect = text
    }

    /// Sends a request; throws for any non-2xx status. Refreshes a saved session first if its
    /// access token has expired, and once more if the server refuses the token.
    ///
    /// In a dry run, reads (`GET`) go out as usual and the first other request is not sent: it
    /// throws ``AdminError/Code/dryRun`` with the plan instead.
    public func send(
        _ method: Method, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        authenticated: Bool = true
    ) async throws(AdminError) -> Reply {
        if dryRun, method != .GET {
            throw planned(method, path, query: query, body: body)
        }
        return try await sendChecked(method, path, query: query, body: body, raw: nil, authenticated: authenticated)
    }

    /// Sends JSON bytes encoded by the caller (the sync protocol's own encoder), e.g. a push.
    /// Never sent in a dry run.
    public func send(_ method: Method, _ path: String, json raw: Data) async throws(AdminError) -> Reply {
        if dryRun { throw planned(method, path, query: [], body: nil) }
        return try await sendChecked(method, path, query: [], body: nil, raw: raw, authenticated: true)
    }

    private func sendChecked(
        _ method: Method, _ path: String, query: [(String, String)], body: (any Encodable & Sendable)?, raw: Data?,
        authenticated: Bool
    ) async throws(AdminError) -> Reply {
        if authenticated, case .session(_, let session) = credentials, session.accessTokenExpiresAt <= now() {
            try await refresh()
        }
        var reply = try await perform(method, path, query: query, body: body, raw: raw, authenticated: authenticated)
        if reply.status == 401, authenticated, case .session = credentials {
            try await refresh()
            reply = try await perform(method, path, query: query, body: body, raw: raw, authenticated: authenticated)
        }
        guard (200..<300).contains(reply.status) else {
            throw failure(reply, method: method, path: path, authenticated: authenticated)
        }
        return reply
    }

    private func planned(
        _ method: Method, _ path: String, query: [(String, String)], body: (any Encodable & Sendable)?
    ) -> AdminError {
        var request: [String: JSONValue] = ["method": .string(method.rawValue), "path": .string(path)]
        if !query.isEmpty {
            request["query"] = .object(Dictionary(query.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { $1 }))
        }
        if let body, let value = try? JSONValue(encoding: body) { request["body"] = value }
        var plan: [String: JSONValue] = ["dryRun": .bool(true), "request": .object(request)]
        if let plannedEffect { plan["effect"] = .string(plannedEffect) }
        var error = AdminError(.dryRun, "dry run: nothing was changed (\(method.rawValue) \(path) not sent)")
        error.plan = .object(plan)
        return error
    }

    /// Streams a JSON Lines answer (`GET`), calling `line` for each line as it arrives, so a
    /// long export shows progress and never sits in memory whole.
    public func streamLines(
        _ path: String, query: [(String, String)] = [], line: (String) throws(AdminError) -> Void
    ) async throws(AdminError) {
        if case .session(_, let session) = credentials, session.accessTokenExpiresAt <= now() {
            try await refresh()
        }
        var url = server.url + path
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            url += "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: "application/x-ndjson")
        switch credentials {
        case .none: break
        case .token(let token): request.headers.add(name: "Authorization", value: "Bearer \(token)")
        case .session(_, let session): request.headers.add(name: "Authorization", value: "Bearer \(session.accessToken)")
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .hours(1))
        } catch {
            throw unreachable(error)
        }
        guard response.status.code == 200 else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            throw failure(
                Reply(status: Int(response.status.code), headers: response.headers, body: body), method: .GET, path: path,
                authenticated: true)
        }
        var pending = Data()
        do {
            for try await chunk in response.body {
                pending.append(contentsOf: chunk.readableBytesView)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let text = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    if !text.isEmpty { try line(text) }
                }
            }
        } catch let error as AdminError {
            throw error
        } catch {
            throw AdminError(.unreachable, "the connection to \(server.url) broke during the download; run the command again")
        }
        if !pending.isEmpty { try line(String(decoding: pending, as: UTF8.self)) }
    }

    /// Exchanges the session's refresh token for a new pair and saves it.
    func refresh() async throws(AdminError) {
        guard case .session(let store, var session) = credentials else { return }
        let expired = AdminError(
            .sessionExpired,
            "your session on \(session.server) has expired or was revoked; run `rapport-admin login --server \(session.server)` to sign in again"
        )
        guard session.refreshTokenExpiresAt > now() else { throw expired }
        let reply = try await perform(
            .POST, "/v1/auth/refresh", query: [], body: RefreshBody(refreshToken: session.refreshToken),
            authenticated: false)
        guard reply.status == 200 else {
            if reply.status == 401 || reply.status == 403 { throw expired }
            throw failure(reply, method: .POST, path: "/v1/auth/refresh", authenticated: false)
        }
        let pair: TokenPairBody
        do {
            pair = try RapportWire.decoder.decode(TokenPairBody.self, from: reply.body)
        } catch {
            throw AdminError(.unexpectedResponse, "the server's token refresh answer is not understood; log in again")
        }
        session.accessToken = pair.accessToken
        session.accessTokenExpiresAt = pair.accessTokenExpiresAt
        session.refreshToken = pair.refreshToken
        session.refreshTokenExpiresAt = pair.refreshTokenExpiresAt
        try store.save(session)
        credentials = .session(store, session)
    }

    private func perform(
        _ method: Method, _ path: String, query: [(String, String)], body: (any Encodable & Sendable)?, raw: Data? = nil,
        authenticated: Bool
    ) async throws(AdminError) -> Reply {
        var url = server.url + path
        if !query.isEmpty {
            var components = URLComponents()
            components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
            url += "?" + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        }
        var request = HTTPClientRequest(url: url)
        request.method = method.nio
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "rapport-admin/\(RapportAdminCommand.version)")
        if authenticated {
            switch credentials {
            case .none: break
            case .token(let token): request.headers.add(name: "Authorization", value: "Bearer \(token)")
            case .session(_, let session):
                request.headers.add(name: "Authorization", value: "Bearer \(session.accessToken)")
            }
        }
        if let raw {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: raw))
        } else if let body {
            let data: Data
            do {
                data = try RapportWire.encoder.encode(body)
            } catch {
                throw AdminError(.local, "cannot encode the request: \(error)")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(300))
            let collected = try await response.body.collect(upTo: 256 << 20)
            return Reply(
                status: Int(response.status.code), headers: response.headers,
                body: Data(collected.readableBytesView))
        } catch {
            throw unreachable(error)
        }
    }

    private func unreachable(_ error: any Error) -> AdminError {
        let detail = String(describing: error)
        let lower = detail.lowercased()
        if lower.contains("ssl") || lower.contains("certificate") || lower.contains("handshake") || lower.contains("tls") {
            return AdminError(
                .unreachable,
                "cannot make a secure connection to \(server.url) (\(detail)); if the server's certificate comes from a private CA, pass it with --ca-file (or RAPPORT_CA_FILE)"
            )
        }
        let reason: String
        if lower.contains("refused") {
            reason = "connection refused"
        } else if lower.contains("timeout") || lower.contains("timed out") {
            reason = "timed out"
        } else if lower.contains("resolve") || lower.contains("lookup") || lower.contains("nodename") {
            reason = "unknown host"
        } else {
            reason = detail
        }
        return AdminError(
            .unreachable,
            "cannot reach the Rapport server at \(server.url) (\(reason)); check the address (--server or RAPPORT_SERVER) and that the server is running"
        )
    }

    private func failure(_ reply: Reply, method: Method, path: String, authenticated: Bool) -> AdminError {
        let body = (try? RapportWire.decoder.decode(ErrorBody.self, from: reply.body))?.error
        let code = body?.code
        var message = body?.message ?? "the server answered HTTP \(reply.status) to \(method.rawValue) \(path)"
        switch (reply.status, code) {
        case (401, _) where authenticated:
            if case .token = credentials {
                message =
                    "the server refused the token (\(message)); the token may have expired or been revoked: get a new one with `rapport-admin login`, or check --token / RAPPORT_TOKEN"
            } else if case .none = credentials {
                message = "you are not signed in; run `rapport-admin login --server \(server.url)` or pass --token"
            }
            return AdminError(.sessionExpired, message, serverCode: code, httpStatus: reply.status)
        case (404, "notFound") where body?.message.contains("no such endpoint") ?? false,
            (404, nil), (405, _):
            message =
                "the server at \(server.url) does not offer \(method.rawValue) \(path) (HTTP \(reply.status)); it may be an older version than this rapport-admin — upgrade the server"
        case (429, _):
            if let retry = body?.retryAfterSeconds { message += " (retry in \(retry) s)" }
        default:
            break
        }
        return AdminError(.server, message, serverCode: code, httpStatus: reply.status)
    }
}

/// `POST /v1/auth/refresh` body.
struct RefreshBody: Codable, Sendable {
    var refreshToken: String
}

/// The token pair the server answers with.
struct TokenPairBody: Codable, Sendable {
    var accessToken: String
    var accessTokenExpiresAt: Date
    var refreshToken: String
    var refreshTokenExpiresAt: Date
}

/// The API's error body.
struct ErrorBody: Codable, Sendable {
    struct Detail: Codable, Sendable {
        var code: String
        var message: String
        var retryAfterSeconds: Int?
    }

    var error: Detail
}
