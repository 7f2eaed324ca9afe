import Foundation

/// A customer complaint, handled in stages with a timestamp per stage.
///
/// Stages only move forward: received → acknowledged → investigating → resolved → followed up →
/// closed (``advance(to:at:)``). Response and resolution deadlines and the breach flags are kept
/// by the server (``updatingBreaches(at:)``); a breach flag never goes back to `false`.
public struct Complaint: CustomerScopedEntity {
    /// Always ``EntityKind/complaint``.
    public static let kind = EntityKind.complaint

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The complaint number shown to the customer; set once.
    public let number: String
    /// How serious the complaint is.
    public var severity: Severity
    /// What the complaint is about, in the organisation's categories.
    public var category: String?
    /// The order complained about, if any.
    public var orderId: UUID?
    /// The current stage.
    public var stage: Stage
    /// When the complaint was received.
    public var receivedAt: Date
    /// When it was acknowledged (the first response).
    public var acknowledgedAt: Date?
    /// When investigation started.
    public var investigatingAt: Date?
    /// When it was resolved.
    public var resolvedAt: Date?
    /// When the customer was followed up.
    public var followedUpAt: Date?
    /// When it was closed.
    public var closedAt: Date?
    /// The deadline for the first response (from the SLA policy).
    public var responseDueAt: Date?
    /// The deadline for resolution (from the SLA policy).
    public var resolutionDueAt: Date?
    /// Whether the response deadline was missed; stays `true` once set.
    public var responseBreached: Bool
    /// Whether the resolution deadline was missed; stays `true` once set.
    public var resolutionBreached: Bool
    /// The support agent handling it.
    public var assigneeId: UUID?
    /// The customer's account of the problem (sensitive).
    public var description: String?
    /// How it was resolved (sensitive).
    public var resolution: String?
    /// When the server first accepted the record.
    public var createdAt: Date
    /// When the server last accepted a change.
    public var updatedAt: Date
    /// When the record was deleted, or `nil`.
    public var deletedAt: Date?
    /// The server-assigned version.
    public var version: Int64
    /// Who created the record.
    public var createdBy: UUID?
    /// Who last changed the record.
    public var updatedBy: UUID?
    /// Custom field values by definition key.
    public var customFields: [String: JSONValue]

    /// Creates a record; `updatedAt` defaults to `createdAt`.
    public init(
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, number: String, severity: Severity,
        category: String? = nil, orderId: UUID? = nil, stage: Stage = .received,
        receivedAt: Date, acknowledgedAt: Date? = nil, investigatingAt: Date? = nil,
        resolvedAt: Date? = nil, followedUpAt: Date? = nil, closedAt: Date? = nil,
        responseDueAt: Date? = nil, resolutionDueAt: Date? = nil,
        responseBreached: Bool = false, resolutionBreached: Bool = false,
        assigneeId: UUID? = nil, description: String? = nil, resolution: String? = nil,
        createdAt: Date, updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.number = number
        self.severity = severity
        self.category = category
        self.orderId = orderId
        self.stage = stage
        self.receivedAt = receivedAt
        self.acknowledgedAt = acknowledgedAt
        self.investigatingAt = investigatingAt
        self.resolvedAt = resolvedAt
        self.followedUpAt = followedUpAt
        self.closedAt = closedAt
        self.responseDueAt = responseDueAt
        self.resolutionDueAt = resolutionDueAt
        self.responseBreached = responseBreached
        self.resolutionBreached = resolutionBreached
        self.assigneeId = assigneeId
        self.description = description
        self.resolution = resolution
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, number, severity, category, orderId, stage, receivedAt
        case acknowledgedAt, investigatingAt, resolvedAt, followedUpAt, closedAt, responseDueAt
        case resolutionDueAt, responseBreached, resolutionBreached, assigneeId, description
        case resolution, createdAt, updatedAt, deletedAt, version, createdBy, updatedBy
        case customFields
    }
}
