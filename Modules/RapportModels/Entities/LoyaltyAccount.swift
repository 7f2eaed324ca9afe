import Foundation

/// A customer's membership of the loyalty programme, with the loyalty assessment scores.
///
/// Points themselves are append-only ``PointsTransaction``s (so offline writes never conflict);
/// ``Customer/loyaltyPoints`` holds the running balance.
public struct LoyaltyAccount: CustomerScopedEntity {
    /// Always ``EntityKind/loyaltyAccount``.
    public static let kind = EntityKind.loyaltyAccount

    /// The record's identity, made by the client.
    public let id: UUID
    /// The customer the record belongs to; never changes.
    public let customerId: UUID
    /// The member of staff who owns the record.
    public var ownerId: UUID
    /// The membership card number.
    public var cardNumber: String?
    /// The programme level.
    public var membershipLevel: MembershipLevel
    /// When the customer joined.
    public var enrolledAt: Date
    /// Assessment, 1 (insensitive) to 5 (very price-sensitive).
    public var priceSensitivity: Int?
    /// Assessment, 1 (indifferent to competitors) to 5 (courted by them).
    public var competitorAttitude: Int?
    /// Assessment, 1 (intolerant of quality problems) to 5 (very tolerant).
    public var qualityTolerance: Int?
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
        id: UUID = UUID(), customerId: UUID, ownerId: UUID, cardNumber: String? = nil,
        membershipLevel: MembershipLevel = .basic, enrolledAt: Date,
        priceSensitivity: Int? = nil, competitorAttitude: Int? = nil,
        qualityTolerance: Int? = nil, createdAt: Date, updatedAt: Date? = nil,
        deletedAt: Date? = nil, version: Int64 = 0, createdBy: UUID? = nil,
        updatedBy: UUID? = nil, customFields: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.customerId = customerId
        self.ownerId = ownerId
        self.cardNumber = cardNumber
        self.membershipLevel = membershipLevel
        self.enrolledAt = enrolledAt
        self.priceSensitivity = priceSensitivity
        self.competitorAttitude = competitorAttitude
        self.qualityTolerance = qualityTolerance
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.deletedAt = deletedAt
        self.version = version
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.customFields = customFields
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, customerId, ownerId, cardNumber, membershipLevel, enrolledAt, priceSensitivity
        case competitorAttitude, qualityTolerance, createdAt, updatedAt, deletedAt, version
        case createdBy, updatedBy, customFields
    }
}
