import Foundation

extension InsightRules {
    /// Every early warning for the listed customers as of `asOf`, ordered by dedupe key.
    ///
    /// Runs the value pyramid (`keyWithoutAccountManager`), credit, purchase-plan, expense-budget
    /// and churn rules (`churnRisk`, `revenueDrop`). Plans, budgets and other facts of customers
    /// not in ``InsightFacts/customers`` are ignored. An open alert whose dedupe key is missing
    /// from the result has cleared.
    public func warnings(for facts: InsightFacts, asOf: Date) -> [InsightWarning] {
        let known = Set(facts.customers.map(\.id))
        var all: [InsightWarning] = []
        all +=
            valuePyramid(
                customers: facts.customers, orders: facts.orders, receivables: facts.receivables, asOf: asOf
            ).warnings
        all += creditAssessments(
            customers: facts.customers, receivables: facts.receivables, orders: facts.orders, asOf: asOf
        ).compactMap(\.warning)
        all += purchasePlanProgress(
            plans: facts.plans.filter { known.contains($0.customerId) }, orders: facts.orders, asOf: asOf
        ).compactMap(\.warning)
        all += expenseBudgetUsage(
            budgets: facts.budgets.filter { known.contains($0.customerId) }, expenses: facts.expenses, asOf: asOf
        ).compactMap(\.warning)
        all += churnAssessments(customers: facts.customers, orders: facts.orders, asOf: asOf).flatMap(\.warnings)
        return all.sorted { $0.dedupeKey < $1.dedupeKey }
    }
}
