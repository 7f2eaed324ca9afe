import Foundation
import RapportModels

/// The few facts about a customer that decide who may see it, and hence who may see its child
/// records (contacts, interactions, complaints, orders, …).
///
/// Storage keeps these as indexed columns; ``ScopePredicate`` filters on exactly these.
public struct CustomerAccessFacts: Hashable, Codable, Sendable, Identifiable {
    /// The customer's id.
    public var id: UUID
    /// The member of staff who owns the customer.
    public var ownerId: UUID
    /// The team the customer belongs to.
    public var teamId: UUID?
    /// The effective value tier: the override if an administrator set one, else the computed tier.
    public var tier: ValueTier?
    /// The named account manager (key customers should have one).
    public var accountManagerId: UUID?
    /// The customer's tags.
    public var tags: Set<String>
    /// Assignees of the customer's open (not closed) complaints.
    public var openComplaintAssignees: [UUID]

    /// Creates the facts.
    public init(
        id: UUID, ownerId: UUID, teamId: UUID? = nil, tier: ValueTier? = nil, accountManagerId: UUID? = nil,
        tags: Set<String> = [], openComplaintAssignees: [UUID] = []
    ) {
        self.id = id
        self.ownerId = ownerId
        self.teamId = teamId
        self.tier = tier
        self.accountManagerId = accountManagerId
        self.tags = tags
        self.openComplaintAssignees = openComplaintAssignees
    }

    /// Whether the customer is in the key tier.
    @inlinable public var isKey: Bool { tier == .key }

    /// The person a key customer is anchored to: the account manager, or the owner if there is
    /// none. Key customers are visible to the anchor and the managers above the anchor's team.
    @inlinable public var keyAnchor: UUID { accountManagerId ?? ownerId }
}
