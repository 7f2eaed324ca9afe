extension FieldRegistry {
    static let contact: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("name", .string),
        FieldDescriptor("role", .enumeration(Contact.Role.wireValues)),
        FieldDescriptor("title", .string),
        FieldDescriptor("department", .string),
        FieldDescriptor("phones", .stringList, fieldClass: .sensitive, maskStyle: .phone),
        FieldDescriptor("emails", .stringList, fieldClass: .sensitive, maskStyle: .email),
        FieldDescriptor("isPrimary", .bool),
        FieldDescriptor("notes", .string, fieldClass: .sensitive),
    ]

    static let interaction: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("contactId", .uuid),
        FieldDescriptor("channel", .enumeration(Interaction.Channel.wireValues)),
        FieldDescriptor("direction", .enumeration(Interaction.Direction.wireValues)),
        FieldDescriptor("purpose", .enumeration(Interaction.Purpose.wireValues)),
        FieldDescriptor("occurredAt", .timestamp),
        FieldDescriptor("durationMinutes", .integer),
        FieldDescriptor("subject", .string),
        FieldDescriptor("summary", .string, fieldClass: .sensitive),
    ]

    static let complaint: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("number", .string, mergePolicy: .immutable),
        FieldDescriptor("severity", .enumeration(Complaint.Severity.wireValues)),
        FieldDescriptor("category", .string),
        FieldDescriptor("orderId", .uuid),
        FieldDescriptor("stage", .enumeration(Complaint.Stage.wireValues)),
        FieldDescriptor("receivedAt", .timestamp),
        FieldDescriptor("acknowledgedAt", .timestamp),
        FieldDescriptor("investigatingAt", .timestamp),
        FieldDescriptor("resolvedAt", .timestamp),
        FieldDescriptor("followedUpAt", .timestamp),
        FieldDescriptor("closedAt", .timestamp),
        FieldDescriptor("responseDueAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("resolutionDueAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("responseBreached", .bool, mergePolicy: .serverOnly),
        FieldDescriptor("resolutionBreached", .bool, mergePolicy: .serverOnly),
        FieldDescriptor("assigneeId", .uuid),
        FieldDescriptor("description", .string, fieldClass: .sensitive),
        FieldDescriptor("resolution", .string, fieldClass: .sensitive),
    ]

    static let satisfactionSurvey: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("respondedAt", .timestamp, mergePolicy: .immutable),
        FieldDescriptor(
            "level", .integerEnumeration(SatisfactionSurvey.Level.allCases.map(\.rawValue)),
            mergePolicy: .immutable),
        FieldDescriptor("orderId", .uuid, mergePolicy: .immutable),
        FieldDescriptor("complaintId", .uuid, mergePolicy: .immutable),
        FieldDescriptor("comment", .string, fieldClass: .sensitive, mergePolicy: .immutable),
    ]
}
