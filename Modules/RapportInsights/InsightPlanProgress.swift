import Foundation

/// How a customer's purchases compare with their plan so far in the period.
public struct InsightPlanProgress: Sendable, Codable, Hashable {
    /// The plan.
    public var planId: UUID
    /// The customer.
    public var customerId: UUID
    /// Elapsed share of the period, `t` in 0...1.
    public var elapsedShare: Double
    /// The planned amount for the whole period, minor units.
    public var plannedAmount: Int64
    /// Net amount ordered from the period start up to `asOf`, minor units.
    public var actualAmount: Int64
    /// `plannedAmount × t`.
    public var expectedToDate: Double
    /// `actualAmount ÷ expectedToDate`; `nil` when nothing is expected yet.
    public var ratio: Double?
    /// Whether the rule judged the plan (`t ≥ planMinimumElapsedShare` and a positive plan).
    public var isChecked: Bool
    /// The `purchasesBehindPlan` warning, if raised.
    public var warning: InsightWarning?

    /// Creates a progress record.
    public init(
        planId: UUID,
        customerId: UUID,
        elapsedShare: Double,
        plannedAmount: Int64,
        actualAmount: Int64,
        expectedToDate: Double,
        ratio: Double?,
        isChecked: Bool,
        warning: InsightWarning?
    ) {
        self.planId = planId
        self.customerId = customerId
        self.elapsedShare = elapsedShare
        self.plannedAmount = plannedAmount
        self.actualAmount = actualAmount
        self.expectedToDate = expectedToDate
        self.ratio = ratio
        self.isChecked = isChecked
        self.warning = warning
    }
}
