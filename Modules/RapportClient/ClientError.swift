/// A failure of the client library outside the sync exchange itself (sign-in, session, key
/// lease, local files). Sync failures during ``RapportClient/sync()`` are `SyncError`s.
///
/// Every error carries a stable ``code`` to switch on and a ``message`` that says what to do
/// next, written for the person holding the device.
///
/// ```swift
/// do {
///     client = try await RapportClient.open(directory: folder)
/// } catch let error as ClientError where error.code == .leaseExpired {
///     // show "connect to the network to unlock your customers"
/// }
/// ```
public struct ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. New codes may be added; switch with a `default` case.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The code's name, e.g. `leaseExpired`.
        public var description: String { name }

        /// Wrong login name or password.
        public static let invalidCredentials = Code("invalidCredentials")
        /// Too many failed sign-ins; wait ``ClientError/retryAfterSeconds``.
        public static let rateLimited = Code("rateLimited")
        /// The account is locked; an administrator must unlock it.
        public static let accountLocked = Code("accountLocked")
        /// The server refused: the account or device may not do this.
        public static let forbidden = Code("forbidden")
        /// The session can no longer be refreshed (refresh token expired or reused); sign in again.
        public static let sessionExpired = Code("sessionExpired")
        /// The device has not renewed its key lease in time; its data stays locked until it
        /// reaches the server.
        public static let leaseExpired = Code("leaseExpired")
        /// The device or its owner was revoked; the local store has been crypto-shredded.
        public static let wiped = Code("wiped")
        /// There is no signed-in session in the folder.
        public static let notSignedIn = Code("notSignedIn")
        /// The folder holds another person's data, or files that do not belong together.
        public static let sessionMismatch = Code("sessionMismatch")
        /// The server could not be reached (network, TLS, timeout).
        public static let unreachable = Code("unreachable")
        /// The server answered with an error not covered by another code.
        public static let server = Code("server")
        /// The server's answer is not what this client version understands.
        public static let unexpectedResponse = Code("unexpectedResponse")
        /// A bad argument, or a local file problem.
        public static let invalidArgument = Code("invalidArgument")
        /// Local files (session, device key) could not be read or written.
        public static let local = Code("local")
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do next.
    public var message: String
    /// For ``Code/rateLimited``: seconds to wait.
    public var retryAfterSeconds: Int?
    /// The server's error code, when the server answered.
    public var serverCode: String?
    /// The HTTP status, when the server answered.
    public var httpStatus: Int?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, retryAfterSeconds: Int? = nil, serverCode: String? = nil, httpStatus: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.serverCode = serverCode
        self.httpStatus = httpStatus
    }

    /// `code: message`.
    public var description: String { "\(code): \(message)" }
}
