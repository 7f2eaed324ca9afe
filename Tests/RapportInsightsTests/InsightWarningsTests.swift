import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight warnings")
struct InsightWarningsTests {
    typealias F = InsightFixture

    /// One customer per warning kind (asOf 2025-06-30 12:00 UTC):
    /// 1 key customer without account manager (profit 1000 of 1010 ranked);
    /// 2 credit 950 of 1000 → 95% → warning;
    /// 3 plan 1000 over 100 days, day 50, nothing bought → critical;
    /// 4 budget 100, 150 approved → critical;
    /// 5 individual, one order 400 days ago → churn warning (> 180), and a revenue drop
    ///   (prior 100, current 0).
    static func facts(customer2Outstanding: Int64 = 950) -> InsightFacts {
        let planStart = InsightFixture.asOf.addingTimeInterval(-50 * 86_400)
        return InsightFacts(
            customers: [
                F.customer(1, accountManager: false), F.customer(2, creditLimit: 1_000), F.customer(3),
                F.customer(4), F.customer(5),
            ],
            orders: [
                F.order(1, net: 1_000), F.order(2, net: 4), F.order(3, at: F.daysAgo(60), net: 3),
                F.order(4, net: 3), F.order(5, at: F.daysAgo(400), net: 100, profit: 0),
            ],
            receivables: [
                ReceivableFact(customerId: F.id(2), invoicedAt: F.daysAgo(5), outstanding: customer2Outstanding)
            ],
            plans: [
                PlanFact(
                    id: F.id(300), customerId: F.id(3), period: DateInterval(start: planStart, duration: 100 * 86_400),
                    plannedAmount: 1_000),
                // A plan of a customer not in the list is ignored.
                PlanFact(
                    customerId: F.id(99), period: DateInterval(start: planStart, duration: 100 * 86_400),
                    plannedAmount: 1_000),
            ],
            budgets: [
                BudgetFact(
                    id: F.id(400), customerId: F.id(4),
                    period: DateInterval(start: F.date(2025, 1, 1), end: F.date(2026, 1, 1)), amount: 100)
            ],
            expenses: [ExpenseFact(customerId: F.id(4), incurredAt: F.daysAgo(3), amount: 150, status: .approved)])
    }

    @Test("every rule contributes, sorted by dedupe key")
    func allKinds() {
        let warnings = F.rules().warnings(for: Self.facts(), asOf: F.asOf)
        let summary = warnings.map { "\($0.kind.rawValue) \($0.severity.rawValue) \($0.customerId == F.id(5) ? 5 : 0)" }
        #expect(warnings.map(\.dedupeKey) == warnings.map(\.dedupeKey).sorted())
        #expect(Set(warnings.map(\.dedupeKey)).count == warnings.count)
        #expect(
            Set(warnings.map { [$0.kind.rawValue, $0.severity.rawValue, $0.customerId.uuidString] })
                == [
                    ["keyWithoutAccountManager", "warning", F.id(1).uuidString],
                    ["creditOverLimit", "warning", F.id(2).uuidString],
                    ["purchasesBehindPlan", "critical", F.id(3).uuidString],
                    ["expensesOverBudget", "critical", F.id(4).uuidString],
                    ["churnRisk", "warning", F.id(5).uuidString],
                    ["revenueDrop", "warning", F.id(5).uuidString],
                ], "\(summary)")
    }

    @Test("dedupe keys are stable, and a cleared condition drops its key")
    func clearingAlerts() {
        let rules = F.rules()
        let before = rules.warnings(for: Self.facts(), asOf: F.asOf)
        #expect(before == rules.warnings(for: Self.facts(), asOf: F.asOf))
        // Customer 2 pays: exposure 4 of 1000 → the credit alert clears, nothing else changes.
        let after = rules.warnings(for: Self.facts(customer2Outstanding: 0), asOf: F.asOf)
        let cleared = Set(before.map(\.dedupeKey)).subtracting(after.map(\.dedupeKey))
        #expect(cleared == ["creditOverLimit:00000000-0000-0000-0000-000000000002"])
        // A worse condition keeps the key and changes only the severity.
        let worse = rules.warnings(for: Self.facts(customer2Outstanding: 2_000), asOf: F.asOf)
        #expect(Set(worse.map(\.dedupeKey)) == Set(before.map(\.dedupeKey)))
        #expect(worse.first { $0.kind == .creditOverLimit }?.severity == .critical)
    }

    @Test("warnings round-trip through JSON and never carry NaN")
    func codable() throws {
        let warnings = F.rules().warnings(for: Self.facts(), asOf: F.asOf)
        let decoded = try JSONDecoder().decode([InsightWarning].self, from: JSONEncoder().encode(warnings))
        #expect(decoded == warnings)
        let filtered = InsightWarning(
            kind: .churnRisk, severity: .warning, customerId: F.id(1), dedupeKey: "k", values: ["a": .nan, "b": 1])
        #expect(filtered.values == ["b": 1])
        #expect(InsightSeverity.warning < .critical)
    }

    @Test("no facts, no warnings")
    func empty() {
        #expect(F.rules().warnings(for: InsightFacts(), asOf: F.asOf).isEmpty)
    }
}
