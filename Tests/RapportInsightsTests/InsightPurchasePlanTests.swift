import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 4: purchases behind plan")
struct InsightPurchasePlanTests {
    typealias F = InsightFixture

    /// A 100-day plan of 1000 from 2025-01-01 00:00 UTC, so day k gives t = k / 100 exactly.
    static let start = InsightFixture.date(2025, 1, 1)
    static let plan = PlanFact(
        id: InsightFixture.id(500), customerId: InsightFixture.id(1),
        period: DateInterval(start: start, duration: 100 * 86_400), plannedAmount: 1_000)

    func day(_ k: Double) -> Date { Self.start.addingTimeInterval(k * 86_400) }

    func progress(plan: PlanFact = plan, actual: Int64, onDay k: Double) -> InsightPlanProgress? {
        let orders = actual == 0 ? [] : [F.order(1, at: day(1), net: actual)]
        return F.rules().purchasePlanProgress(plans: [plan], orders: orders, asOf: day(k)).first
    }

    @Test(
        "ratio = actual ÷ (plan × t): warning below 0.8, critical below 0.6",
        arguments: [
            // day 25: t = 0.25, expected 250.
            (25.0, Int64(200), InsightSeverity?.none),  // 200 / 250 = 0.8 exactly → fine
            (25, 199, .warning),  // 0.796
            (25, 150, .warning),  // 0.6 exactly → not critical
            (25, 149, .critical),  // 0.596
            (25, 0, .critical),
            // day 50: t = 0.5, expected 500.
            (50, 400, nil),  // 0.8
            (50, 399, .warning),
            (50, 300, .warning),  // 0.6
            (50, 299, .critical),
            (99, 1_000, nil),  // ahead of plan: 1000 / 990 > 1
        ] as [(Double, Int64, InsightSeverity?)])
    func ratioBoundaries(dayNumber: Double, actual: Int64, expected: InsightSeverity?) throws {
        let result = try #require(progress(actual: actual, onDay: dayNumber))
        #expect(result.elapsedShare == dayNumber / 100)
        #expect(result.isChecked)
        #expect(result.actualAmount == actual)
        #expect(result.warning?.severity == expected)
    }

    @Test("nothing is judged before a quarter of the period has passed")
    func minimumElapsedShare() throws {
        // Day 24.99: t < 0.25 → not checked, even with nothing bought. Day 25: t = 0.25 → checked.
        let early = try #require(progress(actual: 0, onDay: 24.99))
        #expect(!early.isChecked)
        #expect(early.ratio == 0)
        #expect(early.warning == nil)
        #expect(try #require(progress(actual: 0, onDay: 25)).isChecked)
    }

    @Test("only periods containing asOf are reported; at the start nothing is expected yet")
    func activePeriodsOnly() throws {
        #expect(progress(actual: 10, onDay: -1) == nil)
        #expect(progress(actual: 10, onDay: 100) == nil)  // end is exclusive
        let first = try #require(progress(actual: 0, onDay: 0))
        #expect(first.elapsedShare == 0)
        #expect(first.expectedToDate == 0)
        #expect(first.ratio == nil)  // 0 ÷ 0 is not NaN but nil
    }

    @Test("a zero plan is never judged and never divides by zero")
    func zeroPlan() throws {
        var plan = Self.plan
        plan.plannedAmount = 0
        let result = try #require(progress(plan: plan, actual: 0, onDay: 50))
        #expect(result.ratio == nil)
        #expect(!result.isChecked)
        #expect(result.warning == nil)
    }

    @Test("orders before the period, after asOf or of other customers do not count")
    func actualAmount() throws {
        let orders = [
            F.order(1, at: day(-1), net: 1_000), F.order(1, at: day(10), net: 100), F.order(1, at: day(30), net: 1_000),
            F.order(2, at: day(10), net: 1_000), F.order(1, at: Self.start, net: 50),
        ]
        let result = try #require(
            F.rules().purchasePlanProgress(plans: [Self.plan], orders: orders, asOf: day(25)).first)
        #expect(result.actualAmount == 150)
        #expect(result.ratio == 0.6)
        #expect(result.warning?.severity == .warning)
        #expect(
            result.warning?.dedupeKey
                == "purchasesBehindPlan:00000000-0000-0000-0000-000000000001:00000000-0000-0000-0000-000000000500")
        #expect(result.warning?.values["expectedToDate"] == 250)
    }
}
