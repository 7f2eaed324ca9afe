/// Repeat purchase and spend over a period.
public struct InsightLoyaltyIndicators: Sendable, Codable, Hashable {
    /// Customers with at least one order.
    public var buyingCustomers: Int
    /// Customers with at least two orders.
    public var repeatCustomers: Int
    /// Orders in the period.
    public var orderCount: Int
    /// Net revenue of those orders, minor units.
    public var totalSpend: Int64

    /// Creates indicators from counts.
    public init(buyingCustomers: Int, repeatCustomers: Int, orderCount: Int, totalSpend: Int64) {
        self.buyingCustomers = buyingCustomers
        self.repeatCustomers = repeatCustomers
        self.orderCount = orderCount
        self.totalSpend = totalSpend
    }

    /// `repeatCustomers ÷ buyingCustomers`; `nil` when nobody bought.
    public var repeatPurchaseRate: Double? {
        InsightMath.ratio(Double(repeatCustomers), Double(buyingCustomers))
    }

    /// `totalSpend ÷ buyingCustomers`, minor units; `nil` when nobody bought.
    public var averageSpendPerCustomer: Double? {
        InsightMath.ratio(Double(totalSpend), Double(buyingCustomers))
    }

    /// `totalSpend ÷ orderCount`, minor units; `nil` without orders.
    public var averageOrderValue: Double? {
        InsightMath.ratio(Double(totalSpend), Double(orderCount))
    }

    /// `orderCount ÷ buyingCustomers`; `nil` when nobody bought.
    public var ordersPerCustomer: Double? {
        InsightMath.ratio(Double(orderCount), Double(buyingCustomers))
    }
}
