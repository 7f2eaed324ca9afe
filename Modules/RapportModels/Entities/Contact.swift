import Foundation

/// A person at a customer, usually an enterprise: who decides, buys and pays.
///
/// Phones and e-mails are sensitive and masked for roles that do not need them.
///
/// ```swift
/// let contact = Contact(
///     customerId: customer.id, ownerId: customer.ownerId, name: "李强", role: .purchaser,
///     phones: ["+86 139 0000 1234"], createdAt: now)
/// ```
public struct Contact: CustomerScopedEntity {
    /// Always ``EntityKind/contact``.
    public static let kind = EntityKind.contact

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The contact's full name.
    public var name: String
    /// What the contact does in the buying relationship.
    public var role: Role
    /// Job title.
    public var title: String?
    /// Department.
    public var department: String?
    /// Phone numbers, primary first (sensitive).
    public var phones: [String]
    /// E-mail addresses, primary first (sensitive).
    public var emails: [String]
    /// Whether this is the customer's main contact.
    public var isPrimary: Bool
    /// Free-text notes (sensitive).
    public var notes: String?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, name: String, role: Role,
        title: String? = nil, department: String? = nil, phones: [String] = [],
        emails: [String] = [], isPrimary: Bool = false, notes: String? = nil, createdAt: Date,
        updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.name = name
        self.role = role
        self.title = title
        self.department = department
        self.phones = phones
        self.emails = emails
        self.isPrimary = isPrimary
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, name, role, title, department, phones, emails, isPrimary
        case notes, createdAt, updatedAt, deletedAt, version, createdBy, updatedBy, customFields
    }
}
