import Foundation

/// Someone an individual customer is related to: family, colleague, referrer.
public struct PersonRelationship: Codable, Sendable, Hashable {
    /// How the two are related.
    public enum Relation: String, WireEnum {
        /// Husband or wife.
        case spouse
        /// Father or mother.
        case parent
        /// Son or daughter.
        case child
        /// Brother or sister.
        case sibling
        /// Another relative.
        case relative
        /// A colleague.
        case colleague
        /// A friend.
        case friend
        /// The person who referred the customer, or whom the customer referred.
        case referrer
        /// Anything else.
        case other
    }

    /// The other person's name.
    public var name: String
    /// How they are related.
    public var relation: Relation
    /// The other person's customer record, if they are a customer too.
    public var customerId: UUID?
    /// A short note.
    public var note: String?

    /// Creates a relationship.
    public init(name: String, relation: Relation, customerId: UUID? = nil, note: String? = nil) {
        self.name = name
        self.relation = relation
        self.customerId = customerId
        self.note = note
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, relation, customerId, note
    }
}
