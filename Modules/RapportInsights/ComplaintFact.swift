import Foundation
import RapportModels

/// One complaint with the timestamps needed to measure response and resolution.
public struct ComplaintFact: Sendable, Codable, Hashable, Identifiable {
    /// The complaint's id.
    public var id: UUID
    /// The complaining customer.
    public var customerId: UUID
    /// The customer's tier when the complaint was received; `.key` selects the key-customer SLA.
    public var customerTier: ValueTier?
    /// When the complaint was received.
    public var receivedAt: Date
    /// The first response (acknowledgement), if any.
    public var firstRespondedAt: Date?
    /// When it was resolved, if it has been.
    public var resolvedAt: Date?

    /// Creates a complaint fact.
    public init(
        id: UUID = UUID(),
        customerId: UUID,
        customerTier: ValueTier? = nil,
        receivedAt: Date,
        firstRespondedAt: Date? = nil,
        resolvedAt: Date? = nil
    ) {
        self.id = id
        self.customerId = customerId
        self.customerTier = customerTier
        self.receivedAt = receivedAt
        self.firstRespondedAt = firstRespondedAt
        self.resolvedAt = resolvedAt
    }
}
