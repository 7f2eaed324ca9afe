/// What an ``InsightWarning`` is about. The raw value is the prefix of its dedupe key.
public enum InsightWarningKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// Credit exposure near or above the limit, or an invoice long past its terms.
    case creditOverLimit
    /// Purchases falling behind the pro-rated purchase plan.
    case purchasesBehindPlan
    /// Approved and pending expenses near or above the budget.
    case expensesOverBudget
    /// No order for well past the customer's usual interval.
    case churnRisk
    /// Trailing-twelve-month revenue at least halved against the twelve months before.
    case revenueDrop
    /// A key customer has no named account manager.
    case keyWithoutAccountManager
}
