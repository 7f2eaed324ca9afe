/// The JSON body of every sync error response (`Docs/Protocol.md`, "Errors").
///
/// ```swift
/// let body = SyncErrorBody(error)          // server side
/// throw body.syncError                    // client side
/// ```
public struct SyncErrorBody: Codable, Sendable, Hashable {
    /// The error proper.
    public struct Detail: Codable, Sendable, Hashable {
        /// The ``SyncError/Code`` wire name, e.g. `resetRequired`.
        public var code: String
        /// What to do next, for people.
        public var message: String
        /// When to retry, for `rateLimited` and `unavailable`.
        public var retryAfterSeconds: Int?
        /// For `unsupportedProtocolVersion`: the versions the server speaks.
        public var supportedVersions: [Int]?

        /// Creates a detail.
        public init(code: String, message: String, retryAfterSeconds: Int? = nil, supportedVersions: [Int]? = nil) {
            self.code = code
            self.message = message
            self.retryAfterSeconds = retryAfterSeconds
            self.supportedVersions = supportedVersions
        }
    }

    /// The protocol version of the response.
    public var protocolVersion: Int
    /// The error.
    public var error: Detail
    /// Present when the device must wipe (always with `wipeRequired`).
    public var wipe: WipeInstruction?

    /// Creates a body.
    public init(error: Detail, wipe: WipeInstruction? = nil, protocolVersion: Int = SyncProtocol.currentVersion) {
        self.protocolVersion = protocolVersion
        self.error = error
        self.wipe = wipe
    }

    /// The body for `error`.
    public init(_ error: SyncError) {
        self.init(
            error: Detail(
                code: error.code.wireName, message: error.message, retryAfterSeconds: error.retryAfterSeconds,
                supportedVersions: error.supportedVersions),
            wipe: error.wipe)
    }

    /// The error this body describes; an unknown code becomes ``SyncError/Code/internalError``
    /// (retryable), except that a body with a wipe instruction is always ``SyncError/Code/wipeRequired``.
    public var syncError: SyncError {
        var code = SyncError.Code(wireName: error.code) ?? .internalError
        if wipe != nil { code = .wipeRequired }
        return SyncError(
            code, error.message, wipe: wipe, retryAfterSeconds: error.retryAfterSeconds,
            supportedVersions: error.supportedVersions)
    }
}
