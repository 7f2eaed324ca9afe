import Foundation

/// A failure of `rapport-admin`: a stable ``Code``, a message that says what went wrong and what
/// to do next, and the exit code it maps to (1 for failures, 2 for usage errors).
///
/// ```swift
/// throw AdminError(.notSignedIn, "no saved session; run `rapport-admin login --server URL` or pass --token")
/// ```
public struct AdminError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A stable error code. New codes may be added; switch with a `default` case.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String {
            case usage, notSignedIn, sessionExpired, unreachable, server, unexpectedResponse, notFound, local, declined, dryRun
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The code's name, e.g. `sessionExpired`.
        public var description: String { base.rawValue }

        /// The command line was wrong (exit 2).
        public static let usage = Code(.usage)
        /// No server or token to talk to (exit 1).
        public static let notSignedIn = Code(.notSignedIn)
        /// The saved session no longer works (exit 1).
        public static let sessionExpired = Code(.sessionExpired)
        /// The server could not be reached (exit 1).
        public static let unreachable = Code(.unreachable)
        /// The server refused or failed the request; ``AdminError/serverCode`` says how (exit 1).
        public static let server = Code(.server)
        /// The server answered something this tool does not understand (exit 1).
        public static let unexpectedResponse = Code(.unexpectedResponse)
        /// A name or id given on the command line matches nothing on the server (exit 1).
        public static let notFound = Code(.notFound)
        /// A local file or terminal problem (exit 1).
        public static let local = Code(.local)
        /// The user answered "no" at a confirmation prompt (exit 1).
        public static let declined = Code(.declined)
        /// Not a failure: `--dry-run` stopped the command before its first change; ``AdminError/plan``
        /// says what would have been sent (exit 0).
        public static let dryRun = Code(.dryRun)
    }

    /// What went wrong.
    public var code: Code
    /// What went wrong and what to do next.
    public var message: String
    /// For ``Code/server``: the server's error code (e.g. `forbidden`) and HTTP status.
    public var serverCode: String?
    /// For ``Code/server``: the HTTP status.
    public var httpStatus: Int?
    /// For ``Code/dryRun``: the change that was not made (effect, method, path, body).
    public var plan: JSONValue?

    /// Creates an error.
    public init(_ code: Code, _ message: String, serverCode: String? = nil, httpStatus: Int? = nil) {
        self.code = code
        self.message = message
        self.serverCode = serverCode
        self.httpStatus = httpStatus
    }

    /// The process exit code: 0 for a finished dry run, 2 for usage errors, 1 for everything else.
    public var exitCode: Int32 { code == .dryRun ? 0 : code == .usage ? 2 : 1 }

    /// The message.
    public var description: String { message }
}
