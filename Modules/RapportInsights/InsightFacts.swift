/// Every input the insight rules read, in one value.
///
/// Facts about customers not listed in ``customers`` are ignored by the per-customer rules.
public struct InsightFacts: Sendable, Codable, Hashable {
    /// The customers to evaluate.
    public var customers: [InsightCustomer]
    /// Their orders, any period.
    public var orders: [OrderFact]
    /// Their receivables.
    public var receivables: [ReceivableFact]
    /// Purchase plans.
    public var plans: [PlanFact]
    /// Expense budgets.
    public var budgets: [BudgetFact]
    /// Sales expenses.
    public var expenses: [ExpenseFact]
    /// Satisfaction-survey answers.
    public var surveys: [SurveyFact]
    /// Complaints.
    public var complaints: [ComplaintFact]

    /// Creates a bundle of facts; every list defaults to empty.
    public init(
        customers: [InsightCustomer] = [],
        orders: [OrderFact] = [],
        receivables: [ReceivableFact] = [],
        plans: [PlanFact] = [],
        budgets: [BudgetFact] = [],
        expenses: [ExpenseFact] = [],
        surveys: [SurveyFact] = [],
        complaints: [ComplaintFact] = []
    ) {
        self.customers = customers
        self.orders = orders
        self.receivables = receivables
        self.plans = plans
        self.budgets = budgets
        self.expenses = expenses
        self.surveys = surveys
        self.complaints = complaints
    }
}
