import Foundation

/// A planned purchase amount for one customer over one period.
public struct PlanFact: Sendable, Codable, Hashable, Identifiable {
    /// The plan's id; part of the warning's dedupe key.
    public var id: UUID
    /// The customer the plan is for.
    public var customerId: UUID
    /// The plan period, start inclusive and end exclusive.
    public var period: DateInterval
    /// The planned net purchase amount in minor units.
    public var plannedAmount: Int64

    /// Creates a plan fact.
    public init(id: UUID = UUID(), customerId: UUID, period: DateInterval, plannedAmount: Int64) {
        self.id = id
        self.customerId = customerId
        self.period = period
        self.plannedAmount = plannedAmount
    }
}
