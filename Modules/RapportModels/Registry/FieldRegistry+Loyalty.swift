extension FieldRegistry {
    static let loyaltyAccount: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("cardNumber", .string),
        FieldDescriptor("membershipLevel", .enumeration(LoyaltyAccount.MembershipLevel.wireValues)),
        FieldDescriptor("enrolledAt", .timestamp),
        FieldDescriptor("priceSensitivity", .integer),
        FieldDescriptor("competitorAttitude", .integer),
        FieldDescriptor("qualityTolerance", .integer),
    ]

    /// Points transactions are append-only: every field is fixed when the record is created.
    static let pointsTransaction: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("accountId", .uuid, mergePolicy: .immutable),
        FieldDescriptor("points", .integer, mergePolicy: .immutable),
        FieldDescriptor("reason", .enumeration(PointsTransaction.Reason.wireValues), mergePolicy: .immutable),
        FieldDescriptor("occurredAt", .timestamp, mergePolicy: .immutable),
        FieldDescriptor("orderId", .uuid, mergePolicy: .immutable),
        FieldDescriptor("note", .string, mergePolicy: .immutable),
    ]
}
