import Foundation

/// A person or company that buys from the organisation — the root of every other record.
///
/// Exactly one of ``individual`` and ``enterprise`` is set, matching ``kind``. Field classes and
/// merge policies are in ``FieldRegistry``; the reference table is `Docs/Models.md`.
///
/// ```swift
/// let customer = Customer(
///     kind: .individual, name: "王芳", ownerId: staff, teamId: team,
///     sourceChannel: .referral, createdAt: now,
///     individual: IndividualProfile(phones: ["13800138000"]))
/// try customer.validate()
/// ```
public struct Customer: Entity {
    /// Always ``EntityKind/customer``.
    public static let kind = EntityKind.customer

    /// The record's identity, made by the client.
    public let id: UUID
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
    /// The member of staff who owns the customer (the salesperson).
    public var ownerId: UUID
    /// Custom field values by definition key.
    public var customFields: [String: JSONValue]

    /// Individual or enterprise; decides which profile is set.
    public var kind: Kind
    /// The customer's name (a person's full name or a company's registered name).
    public var name: String
    /// The organisation's own customer code, if it uses one (`C-000123`).
    public var code: String?
    /// Where the customer stands in its lifecycle.
    public var status: Status
    /// How the customer was acquired.
    public var sourceChannel: SourceChannel
    /// The team the customer belongs to (the owner's team when assigned).
    public var teamId: UUID
    /// The value tier the server computed; clients never write it.
    public var tier: ValueTier?
    /// A tier set by hand that wins over the computed one.
    public var tierOverride: ValueTier?
    /// The named account manager (key customers get one).
    public var accountManagerId: UUID?
    /// The credit limit in minor units (secret).
    public var creditLimit: Money?
    /// Payment terms in days after invoice.
    public var paymentTermDays: Int?
    /// Free-form tags; merged as a set.
    public var tags: TagSet
    /// The loyalty points balance; merged as a counter (devices send deltas).
    public var loyaltyPoints: Int64
    /// Free-text notes about the customer (sensitive).
    public var notes: String?
    /// The profile of an individual customer.
    public var individual: IndividualProfile?
    /// The profile of an enterprise customer.
    public var enterprise: EnterpriseProfile?

    /// Creates a customer; `updatedAt` defaults to `createdAt`.
    public init(
        id: UUID = UUID(), kind: Kind, name: String, code: String? = nil,
        status: Status = .active, sourceChannel: SourceChannel, ownerId: UUID, teamId: UUID,
        tier: ValueTier? = nil, tierOverride: ValueTier? = nil, accountManagerId: UUID? = nil,
        creditLimit: Money? = nil, paymentTermDays: Int? = nil, tags: TagSet = [],
        loyaltyPoints: Int64 = 0, notes: String? = nil, createdAt: Date,
        updatedAt: Date? = nil, deletedAt: Date? = nil, version: Int64 = 0,
        createdBy: UUID? = nil, updatedBy: UUID? = nil,
        customFields: [String: JSONValue] = [:],
        individual: IndividualProfile? = nil, enterprise: EnterpriseProfile? = nil
    ) {
        self.id = id
        self.kind = kind
        self.name = name
        self.code = code
        self.status = status
        self.sourceChannel = sourceChannel
        self.ownerId = ownerId
        self.teamId = teamId
        self.tier = tier
        self.tierOverride = tierOverride
        self.accountManagerId = accountManagerId
        self.creditLimit = creditLimit
        self.paymentTermDays = paymentTermDays
        self.tags = tags
        self.loyaltyPoints = loyaltyPoints
        self.notes = notes
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
        self.individual = individual
        self.enterprise = enterprise
    }

    /// The tier that applies: the override if set, otherwise the computed tier.
    public var effectiveTier: ValueTier? { tierOverride ?? tier }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, createdAt, updatedAt, deletedAt, version, createdBy, updatedBy, ownerId
        case customFields, kind, name, code, status, sourceChannel, teamId, tier, tierOverride
        case accountManagerId, creditLimit, paymentTermDays, tags, loyaltyPoints, notes
        case individual, enterprise
    }
}
