import Foundation
import RapportModels

extension InsightRules {
    /// Places every listed customer in the value pyramid over the trailing window.
    ///
    /// In order of precedence:
    /// 1. a ``InsightCustomer/tierOverride`` wins (the customer is still ranked, so an override
    ///    never reshuffles anyone else);
    /// 2. customers younger than ``InsightThresholds/minimumRankingAgeDays`` calendar days are
    ///    unranked (``InsightTierReason/tooYoung``) and their profit is left out of the total;
    /// 3. profit ≤ 0 → to drop; else an open receivable more than
    ///    ``InsightThresholds/toDropOverdueDays`` days past due → to drop;
    /// 4. the rest are ranked by profit, highest first, ties by id ascending. A customer is key
    ///    while the cumulative profit *before* them is below
    ///    ``InsightThresholds/keyProfitShare`` of the total — which makes key the smallest
    ///    top set reaching at least that share — normal while it is below
    ///    ``InsightThresholds/normalProfitShare``, small after that.
    ///
    /// Normal and small customers get upgrade signals; a customer whose tier in force is key
    /// and who has no account manager raises a `keyWithoutAccountManager` warning.
    ///
    /// ```swift
    /// // profits 50, 20, 15, 10, 5 (total 100): before 0, 50, 70 < 80 → key ×3;
    /// // before 85 < 95 → normal; before 95 → small.
    /// ```
    public func valuePyramid(
        customers: [InsightCustomer],
        orders: [OrderFact],
        receivables: [ReceivableFact],
        asOf: Date
    ) -> InsightValuePyramid {
        let current = trailingWindow(endingAt: asOf)
        let prior = trailingWindow(endingAt: asOf, windowsBack: 1)
        var profit: [UUID: Int64] = [:]
        var priorProfit: [UUID: Int64] = [:]
        for order in orders {
            if current.contains(order.orderedAt) {
                profit[order.customerId, default: 0] += order.grossProfit
            } else if prior.contains(order.orderedAt) {
                priorProfit[order.customerId, default: 0] += order.grossProfit
            }
        }
        let rfm = Dictionary(
            rfmScores(customers: customers, orders: orders, asOf: asOf).map { ($0.customerId, $0) },
            uniquingKeysWith: { first, _ in first })
        let receivablesByCustomer = grouped(receivables.filter { $0.outstanding > 0 }, by: \.customerId)
        let list = distinctCustomers(customers)

        // Steps 2 and 3: who is unranked, who is to drop, who enters the ranking.
        var computed: [UUID: (tier: ValueTier?, reason: InsightTierReason)] = [:]
        var pool: [InsightCustomer] = []
        for customer in list {
            let own = profit[customer.id] ?? 0
            if calendarDays(from: customer.createdAt, to: asOf) < thresholds.minimumRankingAgeDays {
                computed[customer.id] = (nil, .tooYoung)
            } else if own <= 0 {
                computed[customer.id] = (.toDrop, .nonPositiveProfit)
            } else if maxDaysPastDue(receivablesByCustomer[customer.id] ?? [], customer: customer, asOf: asOf)
                > thresholds.toDropOverdueDays
            {
                computed[customer.id] = (.toDrop, .overdueReceivable)
            } else {
                pool.append(customer)
            }
        }

        // Step 4: rank by profit, ties by id.
        pool.sort { lhs, rhs in
            let (l, r) = (profit[lhs.id] ?? 0, profit[rhs.id] ?? 0)
            return l != r ? l > r : lhs.id.insightSortKey < rhs.id.insightSortKey
        }
        let total = pool.reduce(Int64(0)) { $0 + (profit[$1.id] ?? 0) }
        var rank: [UUID: (position: Int, share: Double)] = [:]
        var cumulative: Int64 = 0
        for (index, customer) in pool.enumerated() {
            let before = InsightMath.ratio(cumulative, total) ?? 0
            let tier: ValueTier =
                before < thresholds.keyProfitShare ? .key : before < thresholds.normalProfitShare ? .normal : .small
            cumulative += profit[customer.id] ?? 0
            computed[customer.id] = (tier, .profitRank)
            rank[customer.id] = (index + 1, InsightMath.ratio(cumulative, total) ?? 0)
        }

        var results: [InsightTierResult] = []
        var warnings: [InsightWarning] = []
        for customer in list {
            let (computedTier, computedReason) = computed[customer.id] ?? (nil, .tooYoung)
            let tier = customer.tierOverride ?? computedTier
            let own = profit[customer.id] ?? 0
            let before = priorProfit[customer.id] ?? 0
            let growth = before > 0 ? InsightMath.ratio(own - before, before) : nil
            var signals: [InsightUpgradeSignal] = []
            if tier == .normal || tier == .small {
                if let growth, growth >= thresholds.upgradeProfitGrowth {
                    signals.append(.profitGrowth)
                }
                if let score = rfm[customer.id], score.recencyScore >= thresholds.upgradeMinimumRecencyScore,
                    score.frequencyScore >= thresholds.upgradeMinimumFrequencyScore,
                    score.monetaryScore <= thresholds.upgradeMaximumMonetaryScore
                {
                    signals.append(.engagedLowSpend)
                }
            }
            results.append(
                InsightTierResult(
                    customerId: customer.id,
                    tier: tier,
                    computedTier: computedTier,
                    reason: customer.tierOverride != nil ? .manualOverride : computedReason,
                    profit: own,
                    priorProfit: before,
                    profitGrowth: growth,
                    rank: rank[customer.id]?.position,
                    cumulativeProfitShare: rank[customer.id]?.share,
                    upgradeSignals: signals))
            if tier == .key && customer.accountManagerId == nil {
                warnings.append(
                    InsightWarning(
                        kind: .keyWithoutAccountManager,
                        severity: .warning,
                        customerId: customer.id,
                        dedupeKey: InsightWarning.dedupeKey(kind: .keyWithoutAccountManager, customerId: customer.id),
                        values: ["profit": Double(own)]))
            }
        }
        return InsightValuePyramid(
            asOf: asOf, totalRankedProfit: total, results: results,
            warnings: warnings.sorted { $0.dedupeKey < $1.dedupeKey })
    }

    /// The due date of a receivable: its own, or invoice date plus the customer's terms.
    func dueDate(of receivable: ReceivableFact, customer: InsightCustomer?) -> Date {
        receivable.dueAt ?? adding(days: customer?.paymentTermDays ?? 0, to: receivable.invoicedAt)
    }

    /// The largest number of calendar days any open receivable is past due (0 when none is).
    func maxDaysPastDue(_ receivables: [ReceivableFact], customer: InsightCustomer?, asOf: Date) -> Int {
        receivables.filter { $0.outstanding > 0 }.map {
            calendarDays(from: dueDate(of: $0, customer: customer), to: asOf)
        }.max().map { max(0, $0) } ?? 0
    }
}
