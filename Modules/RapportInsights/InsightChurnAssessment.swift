import Foundation

/// A customer's churn risk and revenue trend.
public struct InsightChurnAssessment: Sendable, Codable, Hashable {
    /// The customer.
    public var customerId: UUID
    /// Orders placed up to `asOf`, all time.
    public var orderCount: Int
    /// The latest order up to `asOf`.
    public var lastOrderAt: Date?
    /// Calendar days from the last order to `asOf`; `nil` without orders.
    public var daysSinceLastOrder: Int?
    /// Median calendar-day gap between consecutive orders; only with
    /// ``InsightThresholds/churnMinimumOrders`` or more orders.
    public var medianGapDays: Double?
    /// More days than this since the last order is a warning; `nil` without orders.
    public var warningAfterDays: Double?
    /// More days than this is critical; `nil` with too few orders to know the usual interval.
    public var criticalAfterDays: Double?
    /// Net revenue in the trailing window, minor units.
    public var revenue: Int64
    /// Net revenue in the window before, minor units.
    public var priorRevenue: Int64
    /// `(revenue − priorRevenue) ÷ priorRevenue`; `nil` unless `priorRevenue > 0`.
    public var revenueChange: Double?
    /// `churnRisk` and `revenueDrop` warnings, in that order.
    public var warnings: [InsightWarning]

    /// Creates an assessment.
    public init(
        customerId: UUID,
        orderCount: Int,
        lastOrderAt: Date?,
        daysSinceLastOrder: Int?,
        medianGapDays: Double?,
        warningAfterDays: Double?,
        criticalAfterDays: Double?,
        revenue: Int64,
        priorRevenue: Int64,
        revenueChange: Double?,
        warnings: [InsightWarning]
    ) {
        self.customerId = customerId
        self.orderCount = orderCount
        self.lastOrderAt = lastOrderAt
        self.daysSinceLastOrder = daysSinceLastOrder
        self.medianGapDays = medianGapDays
        self.warningAfterDays = warningAfterDays
        self.criticalAfterDays = criticalAfterDays
        self.revenue = revenue
        self.priorRevenue = priorRevenue
        self.revenueChange = revenueChange
        self.warnings = warnings
    }
}
