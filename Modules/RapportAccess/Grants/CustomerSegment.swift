import Foundation
import RapportModels

/// A set of customers described by their attributes: every condition that is set must hold.
///
/// Used by segment grants ("all customers tagged `expo-2025` in team East") and deny rules.
/// A segment that does not name ``tier`` `.key` never reaches key customers through a grant.
public struct CustomerSegment: Hashable, Codable, Sendable {
    /// Customers carrying this tag.
    public var tag: String?
    /// Customers in this (effective) value tier.
    public var tier: ValueTier?
    /// Customers of this team (exactly this team, not its subtree).
    public var teamId: UUID?

    /// Creates a segment; at least one condition should be set (an empty segment matches
    /// everything and is refused by ``AccessPolicy/issueGrant(_:by:customer:now:id:)``).
    public init(tag: String? = nil, tier: ValueTier? = nil, teamId: UUID? = nil) {
        self.tag = tag
        self.tier = tier
        self.teamId = teamId
    }

    /// Whether no condition is set.
    public var isEmpty: Bool { tag == nil && tier == nil && teamId == nil }

    /// Whether `customer` satisfies every condition that is set.
    @inlinable
    public func matches(_ customer: CustomerAccessFacts) -> Bool {
        if let tier, customer.tier != tier { return false }
        if let teamId, customer.teamId != teamId { return false }
        if let tag, !customer.tags.contains(tag) { return false }
        return true
    }
}
