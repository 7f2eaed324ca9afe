/// The approval state of a sales expense.
public enum InsightExpenseStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// Submitted, not yet decided; counts against the budget.
    case pending
    /// Approved; counts against the budget.
    case approved
    /// Rejected; ignored.
    case rejected
}
