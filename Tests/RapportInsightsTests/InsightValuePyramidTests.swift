import Foundation
import PropertyBased
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 1: value pyramid")
struct InsightValuePyramidTests {
    typealias F = InsightFixture

    /// One customer per profit, ids 1, 2, 3… in the given order.
    func pyramid(
        profits: [Int64], rules: InsightRules = F.rules(), configure: (inout InsightCustomer) -> Void = { _ in }
    ) -> InsightValuePyramid {
        let customers = profits.indices.map { index -> InsightCustomer in
            var customer = F.customer(index + 1)
            configure(&customer)
            return customer
        }
        let orders = profits.enumerated().map { F.order($0.offset + 1, net: 1_000, profit: $0.element) }
        return rules.valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
    }

    func tiers(_ pyramid: InsightValuePyramid) -> [ValueTier?] {
        pyramid.results.map(\.tier)
    }

    @Test("50/20/15/10/5: key is the smallest set reaching 80%")
    func textbookExample() {
        // total 100. Cumulative profit *before* each customer: 0, 50, 70, 85, 95.
        // 0, 50 and 70 are below 80 → key (50 + 20 + 15 = 85 ≥ 80 with three customers; two make
        // only 70). 85 < 95 → normal. 95 is not below 95 → small.
        let result = pyramid(profits: [50, 20, 15, 10, 5])
        #expect(tiers(result) == [.key, .key, .key, .normal, .small])
        #expect(result.totalRankedProfit == 100)
        #expect(result.results.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(result.results.map(\.cumulativeProfitShare) == [0.5, 0.7, 0.85, 0.95, 1.0])
        #expect(result.results.allSatisfy { $0.reason == .profitRank })
        #expect(result.customers(in: .key) == [F.id(1), F.id(2), F.id(3)])
    }

    @Test(
        "cumulative share exactly at 80% and 95%",
        arguments: [
            // 60 + 20 = 80 = exactly 80% → key stops after two; the third starts at 80 → normal.
            ([60, 20, 20], [ValueTier.key, .key, .normal]),
            // 80 alone is 80% → key; 15 starts at 80 → normal and ends at 95; 5 starts at 95 → small.
            ([80, 15, 5], [.key, .normal, .small]),
            // 79 is short of 80 → the second joins key (79 + 16 = 95); 5 starts at 95 → small.
            ([79, 16, 5], [.key, .key, .small]),
        ] as [([Int64], [ValueTier])])
    func boundaries(profits: [Int64], expected: [ValueTier]) {
        #expect(tiers(pyramid(profits: profits)) == expected)
    }

    @Test("equal profits are ordered by id, whatever the input order")
    func tieBreakById() {
        // 70, then 15 (id 2) and 15 (id 3). Before: 0 → key; 70 → key (id 2 wins the tie);
        // 85 → normal.
        let customers = [F.customer(3), F.customer(1), F.customer(2)]
        let orders = [F.order(3, net: 15), F.order(2, net: 15), F.order(1, net: 70)]
        let rules = F.rules()
        let forward = rules.valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        let backward = rules.valuePyramid(
            customers: customers.reversed(), orders: orders.reversed(), receivables: [], asOf: F.asOf)
        #expect(forward == backward)
        #expect(forward.result(for: F.id(2))?.tier == .key)
        #expect(forward.result(for: F.id(3))?.tier == .normal)
        #expect(forward.result(for: F.id(2))?.rank == 2)
    }

    @Test("zero and negative profit, and no orders at all, mean to drop and stay out of the total")
    func nonPositiveProfit() {
        // Ranked: only customer 1 (100) → total 100, key. Customers 2 (0), 3 (−50), 4 (no orders)
        // → toDrop.
        let customers = (1...4).map { F.customer($0) }
        let orders = [
            F.order(1, net: 500, profit: 100), F.order(2, net: 500, profit: 0), F.order(3, net: 10, profit: -50),
        ]
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        #expect(tiers(result) == [.key, .toDrop, .toDrop, .toDrop])
        #expect(
            result.results.map(\.reason) == [.profitRank, .nonPositiveProfit, .nonPositiveProfit, .nonPositiveProfit])
        #expect(result.totalRankedProfit == 100)
        #expect(result.result(for: F.id(1))?.cumulativeProfitShare == 1.0)
    }

    @Test(
        "receivable more than 180 days past due means to drop",
        arguments: [
            // (days past the explicit due date, outstanding, dropped?)
            (181, Int64(100), true),
            (180, 100, false),  // exactly 180 is not "over 180"
            (400, 0, false),  // paid off: outstanding 0
        ])
    func overdueReceivable(daysPastDue: Int, outstanding: Int64, dropped: Bool) {
        let receivable = ReceivableFact(
            customerId: F.id(1), invoicedAt: F.daysAgo(daysPastDue + 30), dueAt: F.daysAgo(daysPastDue),
            outstanding: outstanding)
        let result = F.rules().valuePyramid(
            customers: [F.customer(1)], orders: [F.order(1, net: 100)], receivables: [receivable], asOf: F.asOf)
        #expect(result.results[0].tier == (dropped ? .toDrop : .key))
        #expect(result.results[0].reason == (dropped ? .overdueReceivable : .profitRank))
    }

    @Test("without a due date, the due date is invoice date plus the customer's terms")
    func overdueFromPaymentTerms() {
        // Invoiced 211 days ago with 30-day terms → due 181 days ago → over 180 → toDrop.
        // With 31-day terms → due 180 days ago → ranked.
        let receivable = ReceivableFact(customerId: F.id(1), invoicedAt: F.daysAgo(211), outstanding: 1)
        for (terms, expected) in [(30, ValueTier.toDrop), (31, .key)] {
            let result = F.rules().valuePyramid(
                customers: [F.customer(1, paymentTermDays: terms)], orders: [F.order(1, net: 100)],
                receivables: [receivable], asOf: F.asOf)
            #expect(result.results[0].tier == expected, "terms \(terms)")
        }
    }

    @Test("customers younger than 90 days are unranked and left out of the total")
    func youngCustomersUnranked() {
        // Customer 2 is 89 days old with profit 1000. Ranked: 60 (id 1) and 40 (id 3), total 100:
        // before 0 → key, before 60 → key. Had customer 2 been ranked (total 1100) it alone would
        // be key (1000/1100 ≈ 0.91) and the others normal and small.
        let customers = [
            F.customer(1), F.customer(2, createdAt: F.daysAgo(89)), F.customer(3, createdAt: F.daysAgo(90)),
        ]
        let orders = [F.order(1, net: 60), F.order(2, net: 1_000), F.order(3, net: 40)]
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        let young = result.result(for: F.id(2))
        #expect(young?.tier == nil)
        #expect(young?.computedTier == nil)
        #expect(young?.reason == .tooYoung)
        #expect(young?.rank == nil)
        #expect(young?.profit == 1_000)
        #expect(result.unranked == [F.id(2)])
        #expect(result.totalRankedProfit == 100)
        #expect(result.result(for: F.id(1))?.tier == .key)
        #expect(result.result(for: F.id(3))?.tier == .key)  // exactly 90 days old is ranked
    }

    @Test("a manual override wins but does not reshuffle the others")
    func overrideWins() {
        // 50 (override small), 30, 20; the overridden customer stays in the ranking:
        // before 0 → computed key, before 50 → key, before 80 → normal.
        let customers = [F.customer(1, tierOverride: .small), F.customer(2), F.customer(3)]
        let orders = [F.order(1, net: 50), F.order(2, net: 30), F.order(3, net: 20)]
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        #expect(result.result(for: F.id(1))?.tier == .small)
        #expect(result.result(for: F.id(1))?.computedTier == .key)
        #expect(result.result(for: F.id(1))?.reason == .manualOverride)
        #expect(tiers(result) == [.small, .key, .normal])
    }

    @Test("an override also wins over youth and over to-drop")
    func overrideOnYoungAndLossMaking() {
        let customers = [
            F.customer(1, createdAt: F.daysAgo(5), tierOverride: .normal),
            F.customer(2, tierOverride: .key),
        ]
        let orders = [F.order(2, net: 100, profit: -10)]
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        #expect(result.result(for: F.id(1))?.tier == .normal)
        #expect(result.result(for: F.id(1))?.computedTier == nil)
        #expect(result.result(for: F.id(2))?.tier == .key)
        #expect(result.result(for: F.id(2))?.computedTier == .toDrop)
        #expect(result.unranked.isEmpty)
    }

    @Test("a key customer without an account manager raises a stable warning")
    func keyWithoutAccountManager() {
        // 50/30/20 → key, key, normal. Customer 1 has no manager (key → warning), customer 3 has
        // none either but is normal (no warning), customer 4 is overridden to key with none.
        let customers = [
            F.customer(1, accountManager: false), F.customer(2), F.customer(3, accountManager: false),
            F.customer(4, tierOverride: .key, accountManager: false),
        ]
        let orders = [F.order(1, net: 50), F.order(2, net: 30), F.order(3, net: 20)]
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        #expect(result.warnings.map(\.customerId) == [F.id(1), F.id(4)])
        #expect(result.warnings.allSatisfy { $0.kind == .keyWithoutAccountManager && $0.severity == .warning })
        #expect(
            result.warnings.first?.dedupeKey == "keyWithoutAccountManager:00000000-0000-0000-0000-000000000001")
        #expect(result.warnings.first?.values == ["profit": 50])
    }

    @Test(
        "upgrade potential from year-on-year profit growth ≥ 25%",
        arguments: [
            // (prior-year profit of customer 2, signalled?) — customer 2 earns 125 this year.
            (Int64(100), true),  // (125 − 100) / 100 = 0.25 exactly
            (101, false),  // 24 / 101 ≈ 0.238
            (0, false),  // growth undefined, not infinite
        ])
    func upgradeByGrowth(prior: Int64, signalled: Bool) {
        // This year 800, 125, 75 (total 1000): before 0 → key; 800 → 0.8 → normal; 925 → normal.
        let customers = (1...3).map { F.customer($0) }
        var orders = [F.order(1, net: 800), F.order(2, net: 125), F.order(3, net: 75)]
        // Customer 1 (key) grew too, but key customers get no upgrade signals.
        orders.append(F.order(1, at: F.daysAgo(400), net: 100))
        if prior > 0 { orders.append(F.order(2, at: F.daysAgo(400), net: prior)) }
        let result = F.rules().valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        let normal = result.result(for: F.id(2))
        #expect(normal?.tier == .normal)
        #expect(normal?.priorProfit == prior)
        #expect(normal?.profitGrowth == (prior > 0 ? Double(125 - prior) / Double(prior) : nil))
        #expect(normal?.hasUpgradePotential == signalled)
        #expect(result.result(for: F.id(1))?.upgradeSignals == [])
    }

    @Test(
        "upgrade potential from R ≥ 4, F ≥ 4, M ≤ 3",
        arguments: [(45, true), (60, true), (61, false)])
    func upgradeByRFM(customer4LastOrderDaysAgo: Int, signalled: Bool) {
        // Five individuals (segment < 50 → fixed R cut-offs; F and M by quintile, 5 distinct
        // values → scores 1…5 by rank):
        //   id  orders  revenue  last order   R  F  M   profit tier
        //   1   1       5000     5 days       5  1  5   key   (before 0)
        //   2   2       4000     5 days       5  2  4   key   (before 5000/14100 ≈ 0.35)
        //   3   3       3000     100 days     2  3  3   key   (before 9000/14100 ≈ 0.64)
        //   4   4       2000     45/60/61     4/4/3 4 2 normal (before 12000/14100 ≈ 0.85)
        //   5   5       100      10 days      5  5  1   small  (before 14000/14100 ≈ 0.99)
        // Customer 5 qualifies always; customer 4 only while R = 4 (≤ 60 days).
        let customers = (1...5).map { F.customer($0) }
        var orders = [F.order(1, at: F.daysAgo(5), net: 5_000)]
        orders += [F.order(2, at: F.daysAgo(5), net: 2_000), F.order(2, at: F.daysAgo(50), net: 2_000)]
        orders += (0..<3).map { F.order(3, at: F.daysAgo(100 + $0), net: 1_000) }
        orders += (0..<4).map { F.order(4, at: F.daysAgo(customer4LastOrderDaysAgo + $0), net: 500) }
        orders += (0..<5).map { F.order(5, at: F.daysAgo(10 + $0), net: 20) }
        let rules = F.rules()
        let result = rules.valuePyramid(customers: customers, orders: orders, receivables: [], asOf: F.asOf)
        #expect(tiers(result) == [.key, .key, .key, .normal, .small])
        let rfm = rules.rfmScores(customers: customers, orders: orders, asOf: F.asOf)
        #expect(rfm.map(\.frequencyScore) == [1, 2, 3, 4, 5])
        #expect(rfm.map(\.monetaryScore) == [5, 4, 3, 2, 1])
        #expect(result.result(for: F.id(5))?.upgradeSignals == [.engagedLowSpend])
        #expect(result.result(for: F.id(4))?.upgradeSignals == (signalled ? [.engagedLowSpend] : []))
        #expect(result.result(for: F.id(3))?.upgradeSignals == [])
    }

    @Test("the trailing window is (asOf − 12 months, asOf]")
    func windowBounds() {
        // 2025-06-30 12:00 back 12 months → 2024-06-30 12:00 (exclusive). Orders at exactly
        // that instant, and after asOf, do not count; one second later and exactly asOf do.
        let start = F.date(2024, 6, 30, 12)
        let orders = [
            F.order(1, at: start, net: 1_000), F.order(1, at: start.addingTimeInterval(1), net: 7),
            F.order(1, at: F.asOf, net: 3), F.order(1, at: F.asOf.addingTimeInterval(1), net: 1_000),
        ]
        let result = F.rules().valuePyramid(customers: [F.customer(1)], orders: orders, receivables: [], asOf: F.asOf)
        #expect(result.results[0].profit == 10)
        #expect(result.results[0].priorProfit == 1_000)
    }

    @Test("empty inputs give empty results, never a division by zero")
    func emptyInputs() {
        let rules = F.rules()
        let none = rules.valuePyramid(customers: [], orders: [F.order(1, net: 5)], receivables: [], asOf: F.asOf)
        #expect(none.results.isEmpty && none.warnings.isEmpty && none.totalRankedProfit == 0)
        let noOrders = rules.valuePyramid(
            customers: [F.customer(1), F.customer(2)], orders: [], receivables: [], asOf: F.asOf)
        #expect(tiers(noOrders) == [.toDrop, .toDrop])
        #expect(noOrders.results.allSatisfy { $0.cumulativeProfitShare == nil && $0.profitGrowth == nil })
    }

    @Test("duplicate customers are evaluated once")
    func duplicateCustomers() {
        let result = F.rules().valuePyramid(
            customers: [F.customer(1), F.customer(1)], orders: [F.order(1, net: 9)], receivables: [], asOf: F.asOf)
        #expect(result.results.count == 1)
    }

    @Test("configured shares move the cut")
    func configuredShares() {
        // keyProfitShare 0.5: before 0 → key; before 50 → not below 50 → normal (< 0.95).
        let rules = F.rules { $0.keyProfitShare = 0.5 }
        #expect(
            tiers(pyramid(profits: [50, 20, 15, 10, 5], rules: rules)) == [.key, .normal, .normal, .normal, .small])
    }

    @Test("key is always the smallest prefix reaching the key share")
    func keyIsMinimalPrefix() async {
        await propertyCheck(input: Gen.int(in: -20...100).array(of: 0...40)) { values in
            let profits = values.map(Int64.init)
            let result = pyramid(profits: profits)
            let ranked = result.results.filter { $0.rank != nil }.sorted { $0.rank! < $1.rank! }
            let total = ranked.reduce(Int64(0)) { $0 + $1.profit }
            #expect(total == result.totalRankedProfit)
            #expect(ranked.allSatisfy { $0.profit > 0 })
            #expect(result.results.filter { $0.rank == nil }.allSatisfy { $0.tier == .toDrop })
            let key = ranked.filter { $0.tier == .key }
            // Key customers are a prefix of the ranking.
            #expect(ranked.prefix(key.count).allSatisfy { $0.tier == .key })
            if total > 0 {
                let keySum = key.reduce(Int64(0)) { $0 + $1.profit }
                #expect(Double(keySum) / Double(total) >= 0.8)
                #expect(Double(keySum - (key.last?.profit ?? 0)) / Double(total) < 0.8)
            }
            #expect(result.results.allSatisfy { ($0.cumulativeProfitShare ?? 0).isFinite })
        }
    }
}
