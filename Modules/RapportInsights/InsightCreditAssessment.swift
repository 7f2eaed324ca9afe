import Foundation

/// A customer's credit exposure against their limit.
public struct InsightCreditAssessment: Sendable, Codable, Hashable {
    /// The customer.
    public var customerId: UUID
    /// The limit, minor units; `nil` when none is set (only overdue invoices can then warn).
    public var creditLimit: Int64?
    /// Sum of outstanding amounts of all receivables (credit notes reduce it).
    public var outstandingReceivables: Int64
    /// Net amount of orders placed up to `asOf` and not yet invoiced.
    public var uninvoicedOrders: Int64
    /// The order being checked, if any.
    public var currentOrder: Int64
    /// `outstandingReceivables + uninvoicedOrders + currentOrder`.
    public var exposure: Int64
    /// `exposure ÷ creditLimit`; `nil` without a positive limit.
    public var utilisation: Double?
    /// The most calendar days any open invoice is past its terms (0 when none is).
    public var maxDaysPastTerms: Int
    /// The `creditOverLimit` warning, if raised.
    public var warning: InsightWarning?

    /// Creates an assessment.
    public init(
        customerId: UUID,
        creditLimit: Int64?,
        outstandingReceivables: Int64,
        uninvoicedOrders: Int64,
        currentOrder: Int64,
        exposure: Int64,
        utilisation: Double?,
        maxDaysPastTerms: Int,
        warning: InsightWarning?
    ) {
        self.customerId = customerId
        self.creditLimit = creditLimit
        self.outstandingReceivables = outstandingReceivables
        self.uninvoicedOrders = uninvoicedOrders
        self.currentOrder = currentOrder
        self.exposure = exposure
        self.utilisation = utilisation
        self.maxDaysPastTerms = maxDaysPastTerms
        self.warning = warning
    }
}
