import Foundation

/// One complaint's service-level deadlines and outcomes.
public struct InsightComplaintSLA: Sendable, Codable, Hashable {
    /// The complaint.
    public var complaintId: UUID
    /// The customer.
    public var customerId: UUID
    /// Whether the key-customer targets applied.
    public var isKeyCustomer: Bool
    /// First response due by.
    public var responseDeadline: Date
    /// Resolution due by.
    public var resolutionDeadline: Date
    /// Outcome of the response target.
    public var response: InsightSLAStatus
    /// Outcome of the resolution target.
    public var resolution: InsightSLAStatus
    /// Breached if either is breached, met if both are met, otherwise pending.
    public var overall: InsightSLAStatus

    /// Creates an SLA record.
    public init(
        complaintId: UUID,
        customerId: UUID,
        isKeyCustomer: Bool,
        responseDeadline: Date,
        resolutionDeadline: Date,
        response: InsightSLAStatus,
        resolution: InsightSLAStatus,
        overall: InsightSLAStatus
    ) {
        self.complaintId = complaintId
        self.customerId = customerId
        self.isKeyCustomer = isKeyCustomer
        self.responseDeadline = responseDeadline
        self.resolutionDeadline = resolutionDeadline
        self.response = response
        self.resolution = resolution
        self.overall = overall
    }
}
