import Foundation

extension InsightRules {
    /// Usage of every budget whose period contains `asOf` (start inclusive, end exclusive).
    ///
    /// An expense counts against the budget it names, or — when it names none — against the
    /// customer's budgets whose period contains its date. Only expenses incurred up to `asOf`
    /// and not rejected count. Committed = approved + pending; committed ÷ budget ≥
    /// ``InsightThresholds/budgetWarningShare`` is a warning, > ``InsightThresholds/budgetCriticalShare``
    /// critical; a budget of zero or less with anything committed is critical.
    ///
    /// - Returns: Usage ordered by budget id.
    public func expenseBudgetUsage(budgets: [BudgetFact], expenses: [ExpenseFact], asOf: Date) -> [InsightBudgetUsage] {
        let counted = expenses.filter { $0.status != .rejected && $0.incurredAt <= asOf }
        let linked = Dictionary(grouping: counted.filter { $0.budgetId != nil }, by: { $0.budgetId! })
        let unlinked = grouped(counted.filter { $0.budgetId == nil }, by: \.customerId)
        return budgets.filter { $0.period.containsHalfOpen(asOf) }
            .sorted { $0.id.insightSortKey < $1.id.insightSortKey }
            .map { budget in
                let own =
                    (linked[budget.id] ?? [])
                    + (unlinked[budget.customerId] ?? []).filter { budget.period.containsHalfOpen($0.incurredAt) }
                let approved = own.filter { $0.status == .approved }.reduce(Int64(0)) { $0 + $1.amount }
                let pending = own.filter { $0.status == .pending }.reduce(Int64(0)) { $0 + $1.amount }
                let committed = approved + pending
                let share = budget.amount > 0 ? InsightMath.ratio(committed, budget.amount) : nil
                var severity: InsightSeverity?
                if let share {
                    if share > thresholds.budgetCriticalShare {
                        severity = .critical
                    } else if share >= thresholds.budgetWarningShare {
                        severity = .warning
                    }
                } else if committed > 0 {
                    severity = .critical
                }
                let warning = severity.map {
                    var values: [String: Double] = [
                        "budget": Double(budget.amount), "approved": Double(approved), "pending": Double(pending),
                        "committed": Double(committed),
                    ]
                    values["share"] = share
                    return InsightWarning(
                        kind: .expensesOverBudget,
                        severity: $0,
                        customerId: budget.customerId,
                        dedupeKey: InsightWarning.dedupeKey(
                            kind: .expensesOverBudget, customerId: budget.customerId, subject: budget.id),
                        values: values)
                }
                return InsightBudgetUsage(
                    budgetId: budget.id,
                    customerId: budget.customerId,
                    budget: budget.amount,
                    approved: approved,
                    pending: pending,
                    committed: committed,
                    share: share,
                    warning: warning)
            }
    }
}
