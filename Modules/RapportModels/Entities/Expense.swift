import Foundation

/// A sales expense spent on a customer (travel, entertainment, gifts, ...), counted against the
/// customer's ``ExpenseBudget``.
public struct Expense: CustomerScopedEntity {
    /// Always ``EntityKind/expense``.
    public static let kind = EntityKind.expense

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The amount, in minor units.
    public var amount: Money
    /// Approval status.
    public var status: Status
    /// What the money was spent on.
    public var category: Category
    /// When the expense was incurred.
    public var incurredAt: Date
    /// The manager who approved or rejected it.
    public var approverId: UUID?
    /// What it was for.
    public var description: String?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, amount: Money,
        status: Status = .pending, category: Category, incurredAt: Date,
        approverId: UUID? = nil, description: String? = nil, createdAt: Date,
        updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.amount = amount
        self.status = status
        self.category = category
        self.incurredAt = incurredAt
        self.approverId = approverId
        self.description = description
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, amount, status, category, incurredAt, approverId
        case description, createdAt, updatedAt, deletedAt, version, createdBy, updatedBy
        case customFields
    }
}
