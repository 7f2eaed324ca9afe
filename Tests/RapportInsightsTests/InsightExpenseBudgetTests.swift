import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 5: expenses over budget")
struct InsightExpenseBudgetTests {
    typealias F = InsightFixture

    /// Budget 1000 for customer 1 over the first half of 2025; asOf is 2025-06-30 12:00.
    static let budget = BudgetFact(
        id: InsightFixture.id(700), customerId: InsightFixture.id(1),
        period: DateInterval(start: InsightFixture.date(2025, 1, 1), end: InsightFixture.date(2025, 7, 1)),
        amount: 1_000)

    func expense(
        _ amount: Int64, _ status: InsightExpenseStatus, budgetId: UUID? = Self.budget.id,
        at date: Date = F.daysAgo(10), customer: Int = 1
    )
        -> ExpenseFact
    {
        ExpenseFact(customerId: F.id(customer), budgetId: budgetId, incurredAt: date, amount: amount, status: status)
    }

    @Test(
        "approved + pending: warning at 90%, critical above 100%",
        arguments: [
            (Int64(600), Int64(299), InsightSeverity?.none),  // 899 → 0.899
            (600, 300, .warning),  // 900 → exactly 0.9
            (1_000, 0, .warning),  // exactly 1.0 is not "above"
            (0, 1_000, .warning),
            (1_000, 1, .critical),  // 1001
        ] as [(Int64, Int64, InsightSeverity?)])
    func shareBoundaries(approved: Int64, pending: Int64, expected: InsightSeverity?) throws {
        let expenses = [expense(approved, .approved), expense(pending, .pending)]
        let usage = try #require(
            F.rules().expenseBudgetUsage(budgets: [Self.budget], expenses: expenses, asOf: F.asOf).first)
        #expect(usage.committed == approved + pending)
        #expect(usage.share == Double(approved + pending) / 1_000)
        #expect(usage.warning?.severity == expected)
    }

    @Test("rejected, later, other-period and other-budget expenses do not count; unlinked ones match by period")
    func whatCounts() throws {
        let expenses = [
            expense(100, .approved),
            expense(5_000, .rejected),
            expense(200, .pending, budgetId: nil),  // same customer, inside the period → counts
            expense(5_000, .approved, budgetId: nil, at: F.date(2024, 12, 31)),  // before the period
            expense(5_000, .approved, at: F.asOf.addingTimeInterval(1)),  // after asOf
            expense(5_000, .approved, budgetId: F.id(701)),  // another budget
            expense(5_000, .approved, budgetId: nil, customer: 2),  // another customer
        ]
        let usage = try #require(
            F.rules().expenseBudgetUsage(budgets: [Self.budget], expenses: expenses, asOf: F.asOf).first)
        #expect(usage.approved == 100)
        #expect(usage.pending == 200)
        #expect(usage.warning == nil)
    }

    @Test("a zero budget makes any commitment critical, with no share")
    func zeroBudget() throws {
        var budget = Self.budget
        budget.amount = 0
        let rules = F.rules()
        let spent = try #require(
            rules.expenseBudgetUsage(budgets: [budget], expenses: [expense(1, .pending)], asOf: F.asOf).first)
        #expect(spent.share == nil)
        #expect(spent.warning?.severity == .critical)
        #expect(spent.warning?.values["share"] == nil)
        let idle = try #require(rules.expenseBudgetUsage(budgets: [budget], expenses: [], asOf: F.asOf).first)
        #expect(idle.warning == nil)
    }

    @Test("only budgets whose period contains asOf are reported, with a stable key")
    func activeOnly() throws {
        let rules = F.rules()
        let expenses = [expense(2_000, .approved)]
        #expect(rules.expenseBudgetUsage(budgets: [Self.budget], expenses: expenses, asOf: F.date(2025, 7, 1)).isEmpty)
        let usage = try #require(
            rules.expenseBudgetUsage(budgets: [Self.budget], expenses: expenses, asOf: F.asOf).first)
        #expect(
            usage.warning?.dedupeKey
                == "expensesOverBudget:00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-000000000700")
        #expect(rules.expenseBudgetUsage(budgets: [], expenses: expenses, asOf: F.asOf).isEmpty)
    }
}
