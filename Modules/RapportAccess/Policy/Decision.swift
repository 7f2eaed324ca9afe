/// The answer to an access question: allowed or denied, and the one reason that decided it.
///
/// Computed without allocating. ``AccessPolicy/explain(_:customer:now:)`` gives every rule that
/// applied when an administrator needs the whole story.
public struct Decision: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Whether the action may go ahead.
    public let isAllowed: Bool
    /// The rule that decided.
    public let reason: DecisionReason

    /// Creates a decision.
    public init(isAllowed: Bool, reason: DecisionReason) {
        self.isAllowed = isAllowed
        self.reason = reason
    }

    /// An allowing decision.
    @inlinable public static func allow(_ reason: DecisionReason) -> Decision {
        Decision(isAllowed: true, reason: reason)
    }

    /// A denying decision.
    @inlinable public static func deny(_ reason: DecisionReason) -> Decision {
        Decision(isAllowed: false, reason: reason)
    }

    /// `allowed (you own this customer)` or `denied (…)`.
    public var description: String {
        "\(isAllowed ? "allowed" : "denied") (\(reason))"
    }
}
