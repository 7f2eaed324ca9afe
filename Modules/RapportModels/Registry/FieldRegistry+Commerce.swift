extension FieldRegistry {
    static let order: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("number", .string),
        FieldDescriptor("status", .enumeration(Order.Status.wireValues)),
        FieldDescriptor("orderedAt", .timestamp),
        FieldDescriptor("netAmount", .money),
        FieldDescriptor("discount", .money),
        FieldDescriptor("grossProfit", .money, fieldClass: .secret),
        FieldDescriptor("invoiced", .bool),
    ]

    /// Receivables come from the finance system through the server; clients only read them.
    static let receivable: [FieldDescriptor] = [
        FieldDescriptor("ownerId", .uuid, mergePolicy: .serverOnly),
        FieldDescriptor("customerId", .uuid, mergePolicy: .serverOnly),
        FieldDescriptor("orderId", .uuid, mergePolicy: .serverOnly),
        FieldDescriptor("invoiceNumber", .string, mergePolicy: .serverOnly),
        FieldDescriptor("issuedAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("dueAt", .timestamp, mergePolicy: .serverOnly),
        FieldDescriptor("amount", .money, mergePolicy: .serverOnly),
        FieldDescriptor("outstanding", .money, mergePolicy: .serverOnly),
    ]

    static let salesPlan: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("periodStart", .timestamp),
        FieldDescriptor("periodEnd", .timestamp),
        FieldDescriptor("plannedAmount", .money),
    ]

    static let expense: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("amount", .money),
        FieldDescriptor("status", .enumeration(Expense.Status.wireValues)),
        FieldDescriptor("category", .enumeration(Expense.Category.wireValues)),
        FieldDescriptor("incurredAt", .timestamp),
        FieldDescriptor("approverId", .uuid),
        FieldDescriptor("description", .string),
    ]

    static let expenseBudget: [FieldDescriptor] = [
        customerLink,
        FieldDescriptor("periodStart", .timestamp),
        FieldDescriptor("periodEnd", .timestamp),
        FieldDescriptor("amount", .money),
    ]
}
