import Foundation

/// An append-only change to a customer's loyalty points. Never edited: a correction is another
/// transaction (reason ``Reason/adjustment``).
public struct PointsTransaction: CustomerScopedEntity {
    /// Always ``EntityKind/pointsTransaction``.
    public static let kind = EntityKind.pointsTransaction

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The ``LoyaltyAccount``.
    public let accountId: UUID
    /// The change: positive to earn, negative to spend or expire; never zero.
    public let points: Int64
    /// Why the points changed.
    public let reason: Reason
    /// When it happened.
    public let occurredAt: Date
    /// The order that earned the points, if any.
    public let orderId: UUID?
    /// A short note.
    public let note: String?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, accountId: UUID, points: Int64,
        reason: Reason, occurredAt: Date, orderId: UUID? = nil, note: String? = nil,
        createdAt: Date, updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.accountId = accountId
        self.points = points
        self.reason = reason
        self.occurredAt = occurredAt
        self.orderId = orderId
        self.note = note
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, accountId, points, reason, occurredAt, orderId, note
        case createdAt, updatedAt, deletedAt, version, createdBy, updatedBy, customFields
    }
}
