import Foundation
import RapportInsights
import RapportModels
import RapportSyncServer

/// Builds the insight rules' inputs (`InsightFacts`, Docs/Insights.md) from stored records:
/// customers, orders (cancelled ones left out), receivables, sales plans, expense budgets,
/// expenses, satisfaction surveys and complaints.
///
/// - a complaint's first response is its `acknowledgedAt`; its tier when received is taken as
///   the customer's tier in force now (the entity does not keep the tier at receipt);
/// - expenses name no budget, so each counts against every budget of its customer whose period
///   contains it;
/// - canary customers (and anything of theirs) are left out, so planted canaries never skew a tier;
/// - a record that no longer decodes as its entity is skipped and counted in ``skipped``.
struct InsightFactsAdapter {
    /// The facts built.
    private(set) var facts = InsightFacts()
    /// Records that could not be decoded (left out of every rule).
    private(set) var skipped = 0

    /// Every kind the adapter reads.
    static let kinds: Set<EntityKind> = [
        .customer, .order, .receivable, .salesPlan, .expenseBudget, .expense, .satisfactionSurvey, .complaint,
    ]

    /// Adapts `records` (live records of ``kinds``; others are ignored), leaving out the
    /// customers in `excluded` and their records.
    init(records: [StoredRecord], excluding excluded: Set<UUID> = []) {
        var tiers: [UUID: ValueTier] = [:]
        var complaints: [Complaint] = []
        for record in records.sorted(by: { $0.key < $1.key }) {
            if excluded.contains(record.key.id) { continue }
            if let customerId = record.fields["customerId"]?.stringValue.flatMap(UUID.init(uuidString:)),
                excluded.contains(customerId)
            {
                continue
            }
            do {
                switch record.key.kind {
                case .customer:
                    let customer = try Customer(fieldMap: record.fields)
                    tiers[customer.id] = customer.effectiveTier
                    facts.customers.append(
                        InsightCustomer(
                            id: customer.id, kind: customer.kind == .enterprise ? .enterprise : .individual,
                            createdAt: customer.createdAt, tierOverride: customer.tierOverride,
                            accountManagerId: customer.accountManagerId, creditLimit: customer.creditLimit,
                            paymentTermDays: customer.paymentTermDays ?? 30))
                case .order:
                    let order = try Order(fieldMap: record.fields)
                    guard order.status != .cancelled else { continue }
                    facts.orders.append(
                        OrderFact(
                            id: order.id, customerId: order.customerId, orderedAt: order.orderedAt,
                            netAmount: order.netAmount, grossProfit: order.grossProfit ?? 0, invoiced: order.invoiced))
                case .receivable:
                    let receivable = try Receivable(fieldMap: record.fields)
                    facts.receivables.append(
                        ReceivableFact(
                            id: receivable.id, customerId: receivable.customerId, invoicedAt: receivable.issuedAt,
                            dueAt: receivable.dueAt, outstanding: receivable.outstanding))
                case .salesPlan:
                    let plan = try SalesPlan(fieldMap: record.fields)
                    guard let period = Self.period(plan.periodStart, plan.periodEnd) else { skipped += 1; continue }
                    facts.plans.append(
                        PlanFact(
                            id: plan.id, customerId: plan.customerId, period: period, plannedAmount: plan.plannedAmount)
                    )
                case .expenseBudget:
                    let budget = try ExpenseBudget(fieldMap: record.fields)
                    guard let period = Self.period(budget.periodStart, budget.periodEnd) else { skipped += 1; continue }
                    facts.budgets.append(
                        BudgetFact(id: budget.id, customerId: budget.customerId, period: period, amount: budget.amount))
                case .expense:
                    let expense = try Expense(fieldMap: record.fields)
                    let status: InsightExpenseStatus =
                        switch expense.status {
                        case .pending: .pending
                        case .approved: .approved
                        case .rejected: .rejected
                        }
                    facts.expenses.append(
                        ExpenseFact(
                            id: expense.id, customerId: expense.customerId, incurredAt: expense.incurredAt,
                            amount: expense.amount, status: status))
                case .satisfactionSurvey:
                    let survey = try SatisfactionSurvey(fieldMap: record.fields)
                    facts.surveys.append(
                        SurveyFact(
                            id: survey.id, customerId: survey.customerId, answeredAt: survey.respondedAt,
                            score: survey.level.rawValue))
                case .complaint:
                    complaints.append(try Complaint(fieldMap: record.fields))
                default:
                    continue
                }
            } catch {
                skipped += 1
            }
        }
        facts.complaints = complaints.map { complaint in
            ComplaintFact(
                id: complaint.id, customerId: complaint.customerId, customerTier: tiers[complaint.customerId] ?? nil,
                receivedAt: complaint.receivedAt, firstRespondedAt: complaint.acknowledgedAt,
                resolvedAt: complaint.resolvedAt)
        }
    }

    /// A half-open period, or `nil` when it ends before it starts.
    static func period(_ start: Date, _ end: Date) -> DateInterval? {
        end >= start ? DateInterval(start: start, end: end) : nil
    }
}
