import Foundation

/// A record Rapport stores and syncs: a `Codable` value with the common record fields.
///
/// Every entity carries the fields DOMAIN.md lists as common to every record. Ids are made
/// by the client; `createdAt`, `updatedAt`, `deletedAt`, `version`, `createdBy` and
/// `updatedBy` are stamped by the server when it accepts a write (see `Docs/Models.md`).
public protocol Entity: Codable, Sendable, Hashable {
    /// The kind of record this type holds; also its name in the field registry.
    static var kind: EntityKind { get }
    /// The record's identity, made by the client that created it; never changes.
    var id: UUID { get }
    /// When the server first accepted the record.
    var createdAt: Date { get set }
    /// When the server last accepted a change to the record.
    var updatedAt: Date { get set }
    /// When the record was deleted (a tombstone), or `nil` while it is live.
    var deletedAt: Date? { get set }
    /// The server-assigned version, increased on every accepted change; 0 before the first.
    var version: Int64 { get set }
    /// The staff member whose write created the record, if known.
    var createdBy: UUID? { get set }
    /// The staff member whose write last changed the record, if known.
    var updatedBy: UUID? { get set }
    /// The staff member who owns the record.
    var ownerId: UUID { get set }
    /// Values of organisation-defined custom fields, by definition key (see ``CustomFieldDefinition``).
    var customFields: [String: JSONValue] { get set }
    /// Checks the record's own rules; throws the first ``ValidationError`` found.
    func validate() throws
}

/// An entity that belongs to one customer, such as a contact, an order or a complaint.
///
/// Access control derives the visibility of such records from their customer.
public protocol CustomerScopedEntity: Entity {
    /// The customer the record belongs to; set when the record is created and never changed.
    var customerId: UUID { get }
}
