import Foundation

/// Failed logins from one client address (an IPv4 address or an IPv6 /64, see
/// ``ClientAddress/throttleKey(_:)``) across every login name: slows down and then blocks an
/// address that guesses passwords, whatever names it tries (password spraying).
///
/// A successful sign-in does not clear it (an attacker with an account of their own could
/// otherwise reset it between guesses); it is forgotten after a quiet period instead.
public struct AddressFailures: Sendable, Hashable {
    /// The throttle key of the address.
    public var address: String
    /// Failures counted since the address was last quiet for the block period.
    public var count: Int
    /// When the last failure happened.
    public var lastFailureAt: Date
    /// The earliest instant the next attempt from the address is considered; `nil` for no wait.
    public var nextAttemptAt: Date?
    /// When the address is blocked (``count`` reached the block threshold), the end of the block.
    public var blockedUntil: Date?

    /// Creates a counter.
    public init(address: String, count: Int, lastFailureAt: Date, nextAttemptAt: Date? = nil, blockedUntil: Date? = nil)
    {
        self.address = address
        self.count = count
        self.lastFailureAt = lastFailureAt
        self.nextAttemptAt = nextAttemptAt
        self.blockedUntil = blockedUntil
    }
}
