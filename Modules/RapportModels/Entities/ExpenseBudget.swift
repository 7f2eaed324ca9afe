import Foundation

/// The sales expense budget for a customer and period; approved and pending ``Expense``s count
/// against it.
public struct ExpenseBudget: CustomerScopedEntity {
    /// Always ``EntityKind/expenseBudget``.
    public static let kind = EntityKind.expenseBudget

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The start of the period (inclusive).
    public var periodStart: Date
    /// The end of the period (exclusive); after `periodStart`.
    public var periodEnd: Date
    /// The budget, in minor units.
    public var amount: Money
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, periodStart: Date, periodEnd: Date,
        amount: Money, createdAt: Date, updatedAt: Date? = nil, deletedAt: Date? = nil,
        version: Int64 = 0, createdBy: UUID? = nil, updatedBy: UUID? = nil,
        customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.amount = amount
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, periodStart, periodEnd, amount, createdAt, updatedAt
        case deletedAt, version, createdBy, updatedBy, customFields
    }
}
