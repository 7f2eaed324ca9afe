/// A sync failure: a stable ``Code``, a message that says what to do next, and the details a
/// client needs to react (a wipe instruction, a retry delay, the supported versions).
///
/// The server core throws these; the HTTP layer turns them into the error body of
/// `Docs/Protocol.md` ("Errors") with ``SyncErrorBody``, and the client engine turns an error
/// body back into a `SyncError`.
///
/// ```swift
/// do { try await engine.sync() } catch let error as SyncError where error.code == .wipeRequired {
///     // the store has already been crypto-shredded
/// }
/// ```
public struct SyncError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code. New codes may be added; switch with a `default` case.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, CaseIterable {
            case unsupportedProtocolVersion, malformedRequest, bodyTooLarge, batchTooLarge, pageTooLarge
            case invalidCursor, resetRequired, wipeRequired, unauthorized, forbidden, rateLimited, unavailable
            case transport, store, internalError
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The code as written on the wire, e.g. `resetRequired`.
        public var wireName: String { base.rawValue }
        /// Same as ``wireName``.
        public var description: String { base.rawValue }

        /// The code named `wireName`, or `nil` if this version does not know it.
        public init?(wireName: String) {
            guard let base = Base(rawValue: wireName) else { return nil }
            self.base = base
        }

        /// The request's `protocolVersion` is not one the server speaks; upgrade the client.
        public static let unsupportedProtocolVersion = Code(.unsupportedProtocolVersion)
        /// The request is not valid JSON for its message type, or a value is out of range.
        public static let malformedRequest = Code(.malformedRequest)
        /// The request body exceeds ``SyncLimits/maxBodyBytes``; send fewer mutations per push.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// A push holds more than ``SyncLimits/maxBatchSize`` mutations; split it.
        public static let batchTooLarge = Code(.batchTooLarge)
        /// A pull asks for more than ``SyncLimits/maxPageSize`` changes; ask for fewer.
        public static let pageTooLarge = Code(.pageTooLarge)
        /// The cursor is not one this server issued (damaged, or from another device); reset.
        public static let invalidCursor = Code(.invalidCursor)
        /// The cursor is older than the retained history; discard local server data and pull
        /// from scratch (local edits are pushed first).
        public static let resetRequired = Code(.resetRequired)
        /// The device or its staff member was revoked; crypto-shred the local store.
        public static let wipeRequired = Code(.wipeRequired)
        /// The caller is not authenticated (the HTTP layer's concern; listed for completeness).
        public static let unauthorized = Code(.unauthorized)
        /// The server refused the request for this account (not a wipe: for example a notice
        /// period or a missing permission); retrying will not help — ask an administrator.
        public static let forbidden = Code(.forbidden)
        /// Too many requests; retry after ``SyncError/retryAfterSeconds``.
        public static let rateLimited = Code(.rateLimited)
        /// The server cannot serve sync right now; retry later.
        public static let unavailable = Code(.unavailable)
        /// Client side: the transport failed (no network, timeout, lost response); retry.
        public static let transport = Code(.transport)
        /// Client side: the local store failed.
        public static let store = Code(.store)
        /// The server failed unexpectedly; retry later and report it if it persists.
        public static let internalError = Code(.internalError)

        /// Whether a client should retry the same request later (with backoff).
        public var isRetryable: Bool {
            switch base {
            case .transport, .rateLimited, .unavailable, .internalError: true
            default: false
            }
        }
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do next, for people.
    public var message: String
    /// For ``Code/wipeRequired``: why and what to tell the user.
    public var wipe: WipeInstruction?
    /// For ``Code/rateLimited`` and ``Code/unavailable``: when to retry.
    public var retryAfterSeconds: Int?
    /// For ``Code/unsupportedProtocolVersion``: the versions the server speaks.
    public var supportedVersions: [Int]?
    /// The underlying error, if any.
    public var cause: String?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, wipe: WipeInstruction? = nil, retryAfterSeconds: Int? = nil,
        supportedVersions: [Int]? = nil, cause: (any Error)? = nil
    ) {
        self.code = code
        self.message = message
        self.wipe = wipe
        self.retryAfterSeconds = retryAfterSeconds
        self.supportedVersions = supportedVersions
        self.cause = cause.map { "\($0)" }
    }

    /// `SyncError(code): message`.
    public var description: String {
        "SyncError(\(code)): \(message)" + (cause.map { " [cause: \($0)]" } ?? "")
    }
}
