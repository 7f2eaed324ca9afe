import Foundation

/// Consecutive failed logins for one login name from one *source*, driving slow-down and lockout.
///
/// The source is ``unfamiliarSource`` for every address the person has not signed in from
/// recently (one shared bucket: strangers, and the owner on a new network), or the client
/// address itself when it is familiar (the person signed in successfully from it within the
/// familiar period). A stranger's failures therefore never lock the bucket the owner uses at
/// their usual addresses (`Docs/Security.md`, "Sign-in throttling").
public struct LoginFailures: Sendable, Hashable {
    /// The bucket of every address that is not familiar for the login name.
    public static let unfamiliarSource = "*"

    /// The login name, lowercased.
    public var loginName: String
    /// ``unfamiliarSource``, or the familiar client address these failures came from.
    public var source: String
    /// Consecutive failures since the last success or unlock.
    public var count: Int
    /// When the last failure happened.
    public var lastFailureAt: Date
    /// The earliest instant the next attempt is considered (slow-down); `nil` for no wait.
    public var nextAttemptAt: Date?

    /// Creates a counter.
    public init(
        loginName: String, source: String = LoginFailures.unfamiliarSource, count: Int, lastFailureAt: Date,
        nextAttemptAt: Date? = nil
    ) {
        self.loginName = loginName
        self.source = source
        self.count = count
        self.lastFailureAt = lastFailureAt
        self.nextAttemptAt = nextAttemptAt
    }
}
