import Foundation

/// One customer's answer to a satisfaction survey, on five levels.
public struct SatisfactionSurvey: CustomerScopedEntity {
    /// Always ``EntityKind/satisfactionSurvey``.
    public static let kind = EntityKind.satisfactionSurvey

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// When the customer answered.
    public var respondedAt: Date
    /// How satisfied the customer is, 5 (highly satisfied) to 1 (very dissatisfied).
    public var level: Level
    /// The order the survey was about, if any.
    public var orderId: UUID?
    /// The complaint the survey followed up, if any.
    public var complaintId: UUID?
    /// The customer's comment (sensitive).
    public var comment: String?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, respondedAt: Date, level: Level,
        orderId: UUID? = nil, complaintId: UUID? = nil, comment: String? = nil, createdAt: Date,
        updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.respondedAt = respondedAt
        self.level = level
        self.orderId = orderId
        self.complaintId = complaintId
        self.comment = comment
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, respondedAt, level, orderId, complaintId, comment
        case createdAt, updatedAt, deletedAt, version, createdBy, updatedBy, customFields
    }
}
