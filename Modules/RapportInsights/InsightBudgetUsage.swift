import Foundation

/// How much of a customer's expense budget is committed.
public struct InsightBudgetUsage: Sendable, Codable, Hashable {
    /// The budget.
    public var budgetId: UUID
    /// The customer.
    public var customerId: UUID
    /// The budgeted amount, minor units.
    public var budget: Int64
    /// Approved expenses, minor units.
    public var approved: Int64
    /// Pending expenses, minor units.
    public var pending: Int64
    /// `approved + pending`.
    public var committed: Int64
    /// `committed ÷ budget`; `nil` without a positive budget.
    public var share: Double?
    /// The `expensesOverBudget` warning, if raised.
    public var warning: InsightWarning?

    /// Creates a usage record.
    public init(
        budgetId: UUID,
        customerId: UUID,
        budget: Int64,
        approved: Int64,
        pending: Int64,
        committed: Int64,
        share: Double?,
        warning: InsightWarning?
    ) {
        self.budgetId = budgetId
        self.customerId = customerId
        self.budget = budget
        self.approved = approved
        self.pending = pending
        self.committed = committed
        self.share = share
        self.warning = warning
    }
}
