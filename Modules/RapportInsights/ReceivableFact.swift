import Foundation

/// One invoice that may still be owed, as the insight rules see it.
public struct ReceivableFact: Sendable, Codable, Hashable, Identifiable {
    /// The receivable's id.
    public var id: UUID
    /// The customer who owes it.
    public var customerId: UUID
    /// When the invoice was issued.
    public var invoicedAt: Date
    /// The due date; when `nil` it is `invoicedAt` plus the customer's
    /// ``InsightCustomer/paymentTermDays``.
    public var dueAt: Date?
    /// The amount still owed in minor units; zero once paid. Negative values (credit notes) reduce
    /// exposure.
    public var outstanding: Int64

    /// Creates a receivable fact.
    public init(id: UUID = UUID(), customerId: UUID, invoicedAt: Date, dueAt: Date? = nil, outstanding: Int64) {
        self.id = id
        self.customerId = customerId
        self.invoicedAt = invoicedAt
        self.dueAt = dueAt
        self.outstanding = outstanding
    }
}
