import Foundation

/// Consecutive failed logins for one login name, driving slow-down and lockout.
public struct LoginFailures: Sendable, Hashable {
    /// The login name, lowercased.
    public var loginName: String
    /// Consecutive failures since the last success or unlock.
    public var count: Int
    /// When the last failure happened.
    public var lastFailureAt: Date
    /// The earliest instant the next attempt is considered (slow-down); `nil` for no wait.
    public var nextAttemptAt: Date?

    /// Creates a counter.
    public init(loginName: String, count: Int, lastFailureAt: Date, nextAttemptAt: Date? = nil) {
        self.loginName = loginName
        self.count = count
        self.lastFailureAt = lastFailureAt
        self.nextAttemptAt = nextAttemptAt
    }
}
