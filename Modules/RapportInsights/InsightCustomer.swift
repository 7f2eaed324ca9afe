import Foundation
import RapportModels

/// The facts about one customer that the insight rules read.
///
/// This is deliberately not the `Customer` entity: the server builds it from the entity so the
/// rules stay independent of how customers are stored.
public struct InsightCustomer: Sendable, Codable, Hashable, Identifiable {
    /// The customer's id.
    public var id: UUID
    /// Individual or enterprise.
    public var kind: InsightCustomerKind
    /// When the customer was created; customers younger than
    /// ``InsightThresholds/minimumRankingAgeDays`` are not ranked in the value pyramid.
    public var createdAt: Date
    /// A tier set by hand, which wins over the computed one.
    public var tierOverride: ValueTier?
    /// The named account manager; a key customer without one raises a warning.
    public var accountManagerId: UUID?
    /// The credit limit in minor currency units; `nil` means no limit is set.
    public var creditLimit: Int64?
    /// Days between invoice and due date when a receivable carries no explicit due date.
    public var paymentTermDays: Int

    /// Creates the facts for one customer.
    public init(
        id: UUID,
        kind: InsightCustomerKind,
        createdAt: Date,
        tierOverride: ValueTier? = nil,
        accountManagerId: UUID? = nil,
        creditLimit: Int64? = nil,
        paymentTermDays: Int = 30
    ) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.tierOverride = tierOverride
        self.accountManagerId = accountManagerId
        self.creditLimit = creditLimit
        self.paymentTermDays = paymentTermDays
    }
}
