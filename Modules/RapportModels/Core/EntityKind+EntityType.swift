extension EntityKind {
    /// The Swift type that holds records of this kind, for code that works from a kind
    /// found at run time (a sync mutation, a change-log row).
    ///
    /// ```swift
    /// let record = try kind.entityType.from(fieldMap: fields)
    /// ```
    public var entityType: any Entity.Type {
        switch self {
        case .customer: Customer.self
        case .contact: Contact.self
        case .interaction: Interaction.self
        case .complaint: Complaint.self
        case .order: Order.self
        case .receivable: Receivable.self
        case .salesPlan: SalesPlan.self
        case .expense: Expense.self
        case .expenseBudget: ExpenseBudget.self
        case .satisfactionSurvey: SatisfactionSurvey.self
        case .loyaltyAccount: LoyaltyAccount.self
        case .pointsTransaction: PointsTransaction.self
        }
    }
}
