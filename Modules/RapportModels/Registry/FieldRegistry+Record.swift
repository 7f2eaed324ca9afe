extension FieldRegistry {
    /// The record fields every entity has. `id` is made by the client and never changes; the
    /// timestamps, version and author fields are stamped by the server; `ownerId` is a normal
    /// field whose writers access control restricts. An entity's own list may override one of
    /// these by path (receivables make `ownerId` server-only).
    static let common: [FieldDescriptor] = [
        FieldDescriptor("id", .uuid, mergePolicy: .immutable),
        FieldDescriptor("createdAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("updatedAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("deletedAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("version", .integer, mergePolicy: .serverOnly),
        FieldDescriptor("createdBy", .uuid, mergePolicy: .serverOnly),
        FieldDescriptor("updatedBy", .uuid, mergePolicy: .serverOnly),
        FieldDescriptor("ownerId", .uuid),
    ]

    /// `customerId` of a record that belongs to a customer: set at creation, never moved.
    static let customerLink = FieldDescriptor("customerId", .uuid, mergePolicy: .immutable)

    static func specific(to kind: EntityKind) -> [FieldDescriptor] {
        switch kind {
        case .customer: customer
        case .contact: contact
        case .interaction: interaction
        case .complaint: complaint
        case .order: order
        case .receivable: receivable
        case .salesPlan: salesPlan
        case .expense: expense
        case .expenseBudget: expenseBudget
        case .satisfactionSurvey: satisfactionSurvey
        case .loyaltyAccount: loyaltyAccount
        case .pointsTransaction: pointsTransaction
        }
    }
}
