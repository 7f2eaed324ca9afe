import Foundation

/// One order as the insight rules see it. Money is in minor currency units.
public struct OrderFact: Sendable, Codable, Hashable, Identifiable {
    /// The order's id.
    public var id: UUID
    /// The ordering customer.
    public var customerId: UUID
    /// When the order was placed.
    public var orderedAt: Date
    /// Net revenue of the order (after discounts, before tax).
    public var netAmount: Int64
    /// Gross profit of the order; may be zero or negative.
    public var grossProfit: Int64
    /// Whether the order has been invoiced; uninvoiced orders count towards credit exposure.
    public var invoiced: Bool

    /// Creates an order fact.
    public init(
        id: UUID = UUID(),
        customerId: UUID,
        orderedAt: Date,
        netAmount: Int64,
        grossProfit: Int64 = 0,
        invoiced: Bool = true
    ) {
        self.id = id
        self.customerId = customerId
        self.orderedAt = orderedAt
        self.netAmount = netAmount
        self.grossProfit = grossProfit
        self.invoiced = invoiced
    }
}
