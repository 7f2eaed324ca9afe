import Foundation

/// One sales expense as the insight rules see it.
///
/// An expense counts against the budget named by ``budgetId``; without one it counts against
/// every budget of the same customer whose period contains ``incurredAt``.
public struct ExpenseFact: Sendable, Codable, Hashable, Identifiable {
    /// The expense's id.
    public var id: UUID
    /// The customer the expense was spent on.
    public var customerId: UUID
    /// The budget it is booked against, if known.
    public var budgetId: UUID?
    /// When the expense was incurred.
    public var incurredAt: Date
    /// The amount in minor units.
    public var amount: Int64
    /// Pending, approved or rejected.
    public var status: InsightExpenseStatus

    /// Creates an expense fact.
    public init(
        id: UUID = UUID(),
        customerId: UUID,
        budgetId: UUID? = nil,
        incurredAt: Date,
        amount: Int64,
        status: InsightExpenseStatus
    ) {
        self.id = id
        self.customerId = customerId
        self.budgetId = budgetId
        self.incurredAt = incurredAt
        self.amount = amount
        self.status = status
    }
}
