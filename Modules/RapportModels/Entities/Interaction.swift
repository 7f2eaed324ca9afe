import Foundation

/// One entry in the communication log with a customer: a visit, call, message or event.
public struct Interaction: CustomerScopedEntity {
    /// Always ``EntityKind/interaction``.
    public static let kind = EntityKind.interaction

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The contact spoken to, if any.
    public var contactId: UUID?
    /// How the communication happened.
    public var channel: Channel
    /// Who started it.
    public var direction: Direction
    /// What it was for.
    public var purpose: Purpose
    /// When it happened.
    public var occurredAt: Date
    /// How long it took, in minutes.
    public var durationMinutes: Int?
    /// A short subject line.
    public var subject: String?
    /// What was said (sensitive).
    public var summary: String?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, contactId: UUID? = nil,
        channel: Channel, direction: Direction, purpose: Purpose, occurredAt: Date,
        durationMinutes: Int? = nil, subject: String? = nil, summary: String? = nil,
        createdAt: Date, updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.contactId = contactId
        self.channel = channel
        self.direction = direction
        self.purpose = purpose
        self.occurredAt = occurredAt
        self.durationMinutes = durationMinutes
        self.subject = subject
        self.summary = summary
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, contactId, channel, direction, purpose, occurredAt
        case durationMinutes, subject, summary, createdAt, updatedAt, deletedAt, version
        case createdBy, updatedBy, customFields
    }
}
