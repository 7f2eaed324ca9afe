import Foundation

/// A purchase by a customer. Amounts are ``Money`` in minor units; profit is secret.
public struct Order: CustomerScopedEntity {
    /// Always ``EntityKind/order``.
    public static let kind = EntityKind.order

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The order number, if the organisation uses one.
    public var number: String?
    /// Whether the order stands.
    public var status: Status
    /// When the order was placed.
    public var orderedAt: Date
    /// The amount after discount, in minor units.
    public var netAmount: Money
    /// The discount given, in minor units.
    public var discount: Money
    /// Net amount minus cost, in minor units (secret; may be negative).
    public var grossProfit: Money?
    /// Whether the order has been invoiced (uninvoiced orders count towards credit exposure).
    public var invoiced: Bool
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, number: String? = nil,
        status: Status = .placed, orderedAt: Date, netAmount: Money, discount: Money = 0,
        grossProfit: Money? = nil, invoiced: Bool = false, createdAt: Date,
        updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.number = number
        self.status = status
        self.orderedAt = orderedAt
        self.netAmount = netAmount
        self.discount = discount
        self.grossProfit = grossProfit
        self.invoiced = invoiced
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, number, status, orderedAt, netAmount, discount
        case grossProfit, invoiced, createdAt, updatedAt, deletedAt, version, createdBy
        case updatedBy, customFields
    }
}
