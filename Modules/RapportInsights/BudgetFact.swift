import Foundation

/// A sales-expense budget for one customer over one period.
public struct BudgetFact: Sendable, Codable, Hashable, Identifiable {
    /// The budget's id; part of the warning's dedupe key.
    public var id: UUID
    /// The customer the budget is for.
    public var customerId: UUID
    /// The budget period, start inclusive and end exclusive.
    public var period: DateInterval
    /// The budgeted amount in minor units.
    public var amount: Int64

    /// Creates a budget fact.
    public init(id: UUID = UUID(), customerId: UUID, period: DateInterval, amount: Int64) {
        self.id = id
        self.customerId = customerId
        self.period = period
        self.amount = amount
    }
}
