import Foundation
import RapportProtocol

/// A failure of the Rapport server: a stable ``Code``, a message that says what to do next,
/// and what a client needs to react (a retry delay, a wipe instruction).
///
/// Storage, identity and configuration throw these; only the HTTP layer maps them to a status
/// and the JSON error body of `Docs/Protocol.md` ("Errors"):
/// `{"protocolVersion": 1, "error": {"code": "...", "message": "..."}, "wipe": {...}}`.
///
/// ```swift
/// throw ServerError(.malformedRequest, "field 'password' is missing; send it as a string")
/// ```
public struct ServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code. New codes may be added; switch with a `default` case.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, CaseIterable {
            case malformedRequest, bodyTooLarge, headersTooLarge, requestTimeout, notFound, methodNotAllowed
            case unauthorized, invalidCredentials, tokenReused, rateLimited, accountLocked
            case forbidden, wipeRequired, conflict
            case invalidConfiguration, storage, storageFull, storageIOError, serverRunning, unavailable, connectionLimit,
                internalError
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The code as written on the wire, e.g. `malformedRequest`.
        public var wireName: String { base.rawValue }
        /// Same as ``wireName``.
        public var description: String { base.rawValue }

        /// The request body is not valid JSON for the endpoint (wrong type, missing field,
        /// invalid UTF-8) or a value is out of range.
        public static let malformedRequest = Code(.malformedRequest)
        /// The request body exceeds the configured `maxBodyBytes`.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// The request head (request line and header fields) exceeds the configured `maxHeaderBytes` (431).
        public static let headersTooLarge = Code(.headersTooLarge)
        /// The client took longer than `headerTimeoutSeconds` to send the request head or
        /// `bodyTimeoutSeconds` to send its body (408); the connection is closed.
        public static let requestTimeout = Code(.requestTimeout)
        /// No route or resource with that name.
        public static let notFound = Code(.notFound)
        /// The route exists but not with that HTTP method.
        public static let methodNotAllowed = Code(.methodNotAllowed)
        /// No valid bearer token: missing, unknown, expired or revoked; sign in again.
        public static let unauthorized = Code(.unauthorized)
        /// Wrong login name or password.
        public static let invalidCredentials = Code(.invalidCredentials)
        /// A refresh token was used twice; every token of the device was revoked.
        public static let tokenReused = Code(.tokenReused)
        /// Too many attempts; retry after ``ServerError/retryAfterSeconds``.
        public static let rateLimited = Code(.rateLimited)
        /// Too many failed logins; an administrator must unlock the account.
        public static let accountLocked = Code(.accountLocked)
        /// Authenticated, but not allowed to do this.
        public static let forbidden = Code(.forbidden)
        /// The device or its staff member was revoked; the device must crypto-shred its store.
        public static let wipeRequired = Code(.wipeRequired)
        /// The request conflicts with stored state (e.g. a device id registered to someone else).
        public static let conflict = Code(.conflict)
        /// A configuration value is invalid; the message names its source and key.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The database failed (damaged, unreadable, or a failure that is neither a full disk
        /// nor an I/O error); the message says what to check.
        public static let storage = Code(.storage)
        /// The disk (or database) is full: the write was refused whole, nothing of it written.
        /// Retry after ``ServerError/retryAfterSeconds``; the server resumes by itself once the
        /// operator frees space, and `/readyz` answers not ready meanwhile.
        public static let storageFull = Code(.storageFull)
        /// The disk reported an I/O error: the write or read was refused, nothing half-written.
        /// Retry after ``ServerError/retryAfterSeconds``; `/readyz` answers not ready meanwhile.
        public static let storageIOError = Code(.storageIOError)
        /// The data directory is in use by a running server.
        public static let serverRunning = Code(.serverRunning)
        /// The server cannot serve the request right now (e.g. storage unreachable).
        public static let unavailable = Code(.unavailable)
        /// The server holds as many connections as it serves (`maxConnections`, or
        /// `maxConnectionsPerAddress` from one address); this connection was kept for health checks
        /// only (503). Retry later, over fewer connections.
        public static let connectionLimit = Code(.connectionLimit)
        /// An unexpected failure; retry later and report it if it persists.
        public static let internalError = Code(.internalError)
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do next, for people. Never contains request field values.
    public var message: String
    /// For ``Code/rateLimited``, ``Code/storageFull`` and ``Code/storageIOError``: seconds until
    /// the next attempt may succeed (sent as `Retry-After`).
    public var retryAfterSeconds: Int?
    /// For ``Code/wipeRequired``: why, and what to tell the user.
    public var wipe: WipeInstruction?
    /// The underlying error, for logs.
    public var cause: String?
    /// For ``Code/methodNotAllowed``: the methods the path takes (the `Allow` header).
    public var allowedMethods: [String]?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, retryAfterSeconds: Int? = nil, wipe: WipeInstruction? = nil,
        cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.wipe = wipe
        self.cause = cause.map { "\($0)" }
    }

    /// `ServerError(code): message`.
    public var description: String {
        "ServerError(\(code)): \(message)" + (cause.map { " [cause: \($0)]" } ?? "")
    }
}
