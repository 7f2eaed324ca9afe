import Foundation

/// An amount a customer owes, from an invoice. Server-authoritative: clients read it, only the
/// server (fed by the finance system) writes it.
public struct Receivable: CustomerScopedEntity {
    /// Always ``EntityKind/receivable``.
    public static let kind = EntityKind.receivable

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The order invoiced, if known.
    public var orderId: UUID?
    /// The invoice number.
    public var invoiceNumber: String?
    /// When the invoice was issued.
    public var issuedAt: Date
    /// When payment is due.
    public var dueAt: Date
    /// The invoiced amount, in minor units.
    public var amount: Money
    /// What is still unpaid, in minor units; at most `amount`.
    public var outstanding: Money
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, orderId: UUID? = nil,
        invoiceNumber: String? = nil, issuedAt: Date, dueAt: Date, amount: Money,
        outstanding: Money, createdAt: Date, updatedAt: Date? = nil, deletedAt: Date? = nil,
        version: Int64 = 0, createdBy: UUID? = nil, updatedBy: UUID? = nil,
        customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.orderId = orderId
        self.invoiceNumber = invoiceNumber
        self.issuedAt = issuedAt
        self.dueAt = dueAt
        self.amount = amount
        self.outstanding = outstanding
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, orderId, invoiceNumber, issuedAt, dueAt, amount
        case outstanding, createdAt, updatedAt, deletedAt, version, createdBy, updatedBy
        case customFields
    }
}
