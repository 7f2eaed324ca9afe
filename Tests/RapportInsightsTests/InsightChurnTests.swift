import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 6: churn and revenue drop")
struct InsightChurnTests {
    typealias F = InsightFixture

    /// Orders `daysAgo` days before asOf, net 10 each, for customer 1.
    func assess(_ daysAgo: [Int], kind: InsightCustomerKind = .individual) -> InsightChurnAssessment {
        let orders = daysAgo.map { F.order(1, at: F.daysAgo($0), net: 10) }
        return F.rules().churnAssessment(for: F.customer(1, kind: kind), orders: orders, asOf: F.asOf)
    }

    func churn(_ assessment: InsightChurnAssessment) -> InsightWarning? {
        assessment.warnings.first { $0.kind == .churnRisk }
    }

    @Test(
        "median gap m: warning beyond max(2m, 30) days, critical beyond max(3m, 180)",
        arguments: [
            // Gaps 10, 20, 30 → m = 20 → warning after max(40, 30) = 40, critical after max(60, 180) = 180.
            (20.0, [10, 20, 30], 40, InsightSeverity?.none),
            (20, [10, 20, 30], 41, .warning),
            (20, [10, 20, 30], 180, .warning),
            (20, [10, 20, 30], 181, .critical),
            // Gaps 70, 80, 90 → m = 80 → warning after 160, critical after max(240, 180) = 240.
            (80, [70, 80, 90], 160, nil),
            (80, [70, 80, 90], 161, .warning),
            (80, [70, 80, 90], 240, .warning),
            (80, [70, 80, 90], 241, .critical),
            // Gaps 5, 5, 5 → m = 5 → the 30-day floor: warning after 30.
            (5, [5, 5, 5], 30, nil),
            (5, [5, 5, 5], 31, .warning),
            // Exactly three orders, two gaps 10 and 30 → m = 20 (mean of the middle pair).
            (20, [10, 30], 41, .warning),
            // Same-day orders: gaps 0, 0 → m = 0 → floors 30 / 180.
            (0, [0, 0], 31, .warning),
        ] as [(Double, [Int], Int, InsightSeverity?)])
    func medianGapBoundaries(median: Double, gaps: [Int], daysSinceLast: Int, expected: InsightSeverity?) {
        // Build order dates backwards from the last one: last, last + gapN, …
        var days = [daysSinceLast]
        for gap in gaps.reversed() { days.append(days.last! + gap) }
        let result = assess(days)
        #expect(result.orderCount == gaps.count + 1)
        #expect(result.medianGapDays == median)
        #expect(result.warningAfterDays == max(2 * median, 30))
        #expect(result.criticalAfterDays == max(3 * median, 180))
        #expect(result.daysSinceLastOrder == daysSinceLast)
        #expect(churn(result)?.severity == expected)
    }

    @Test(
        "fewer than three orders: 90 days for enterprises, 180 for individuals, never critical",
        arguments: [
            (InsightCustomerKind.enterprise, [90], InsightSeverity?.none),
            (.enterprise, [91], .warning),
            (.enterprise, [91, 120], .warning),
            (.individual, [180, 200], nil),
            (.individual, [181], .warning),
            (.individual, [900], .warning),
        ] as [(InsightCustomerKind, [Int], InsightSeverity?)])
    func fewOrders(kind: InsightCustomerKind, days: [Int], expected: InsightSeverity?) {
        let result = assess(days, kind: kind)
        #expect(result.medianGapDays == nil)
        #expect(result.criticalAfterDays == nil)
        #expect(churn(result)?.severity == expected)
    }

    @Test("no orders: no churn verdict; orders after asOf are ignored")
    func noOrders() {
        let none = assess([])
        #expect(none.daysSinceLastOrder == nil && none.warningAfterDays == nil && none.warnings.isEmpty)
        let future = F.rules().churnAssessment(
            for: F.customer(1), orders: [F.order(1, at: F.asOf.addingTimeInterval(86_400), net: 5)], asOf: F.asOf)
        #expect(future.orderCount == 0)
    }

    @Test("the churn warning names its figures")
    func churnValues() throws {
        let warning = try #require(churn(assess([41, 71, 91, 101])))
        #expect(warning.dedupeKey == "churnRisk:00000000-0000-0000-0000-000000000001")
        #expect(
            warning.values == [
                "daysSinceLastOrder": 41, "orderCount": 4, "medianGapDays": 20, "warningAfterDays": 40,
                "criticalAfterDays": 180,
            ])
    }

    @Test(
        "revenue drop of at least 50% against the previous 12 months",
        arguments: [
            // (previous-window revenue, current-window revenue, warned?)
            (Int64(100), Int64(50), true),  // (100 − 50) / 100 = 0.5 exactly
            (100, 51, false),  // 0.49
            (100, 0, true),  // 1.0
            (100, -10, true),  // returns exceed sales: 1.1
            (0, 0, false),  // nothing before → no comparison
        ])
    func revenueDrop(prior: Int64, current: Int64, warned: Bool) {
        // Orders 10 and 400 days ago: two orders, individual → churn only after 180 days, so
        // only the revenue rule can fire.
        var orders = [F.order(1, at: F.daysAgo(10), net: current)]
        if prior != 0 { orders.append(F.order(1, at: F.daysAgo(400), net: prior)) }
        let result = F.rules().churnAssessment(for: F.customer(1), orders: orders, asOf: F.asOf)
        #expect(result.revenue == current)
        #expect(result.priorRevenue == prior)
        #expect(result.revenueChange == (prior > 0 ? Double(current - prior) / Double(prior) : nil))
        let drop = result.warnings.first { $0.kind == .revenueDrop }
        #expect((drop != nil) == warned)
        #expect(result.warnings.allSatisfy { $0.kind == .revenueDrop })
        if warned {
            #expect(drop?.values["drop"] == Double(prior - current) / Double(prior))
            #expect(drop?.dedupeKey == "revenueDrop:00000000-0000-0000-0000-000000000001")
        }
    }

    @Test("batch assessment covers each listed customer once, by id")
    func batch() {
        let result = F.rules().churnAssessments(
            customers: [F.customer(2), F.customer(1), F.customer(2)],
            orders: [F.order(1, at: F.daysAgo(200), net: 5), F.order(2, at: F.daysAgo(5), net: 5)], asOf: F.asOf)
        #expect(result.map(\.customerId) == [F.id(1), F.id(2)])
        #expect(result.map { churn($0)?.severity } == [.warning, nil])
    }
}
