import Foundation

extension InsightRules {
    /// Progress of every plan whose period contains `asOf` (start inclusive, end exclusive).
    ///
    /// `t` is the elapsed share of the period in seconds. From
    /// `t ≥` ``InsightThresholds/planMinimumElapsedShare`` and with a positive plan, a ratio
    /// actual ÷ (plan × t) below ``InsightThresholds/planWarningRatio`` is a warning and below
    /// ``InsightThresholds/planCriticalRatio`` critical. Plans that have ended or not started
    /// are not reported, so their alerts close.
    ///
    /// ```swift
    /// // 100-day plan of 1000, asOf day 25: t = 0.25, expected 250; actual 199 → 0.796 → warning
    /// ```
    ///
    /// - Returns: Progress ordered by plan id.
    public func purchasePlanProgress(plans: [PlanFact], orders: [OrderFact], asOf: Date) -> [InsightPlanProgress] {
        let ordersByCustomer = grouped(orders, by: \.customerId)
        return plans.filter { $0.period.duration > 0 && $0.period.containsHalfOpen(asOf) }
            .sorted { $0.id.insightSortKey < $1.id.insightSortKey }
            .map { plan in
                let t = min(1, max(0, asOf.timeIntervalSince(plan.period.start) / plan.period.duration))
                let actual = (ordersByCustomer[plan.customerId] ?? [])
                    .filter { $0.orderedAt >= plan.period.start && $0.orderedAt <= asOf }
                    .reduce(Int64(0)) { $0 + $1.netAmount }
                let expected = Double(plan.plannedAmount) * t
                let ratio = expected > 0 ? InsightMath.ratio(Double(actual), expected) : nil
                let checked = plan.plannedAmount > 0 && t >= thresholds.planMinimumElapsedShare
                var severity: InsightSeverity?
                if checked, let ratio {
                    if ratio < thresholds.planCriticalRatio {
                        severity = .critical
                    } else if ratio < thresholds.planWarningRatio {
                        severity = .warning
                    }
                }
                let warning = severity.map {
                    InsightWarning(
                        kind: .purchasesBehindPlan,
                        severity: $0,
                        customerId: plan.customerId,
                        dedupeKey: InsightWarning.dedupeKey(
                            kind: .purchasesBehindPlan, customerId: plan.customerId, subject: plan.id),
                        values: [
                            "elapsedShare": t, "plannedAmount": Double(plan.plannedAmount),
                            "actualAmount": Double(actual), "expectedToDate": expected, "ratio": ratio ?? 0,
                        ])
                }
                return InsightPlanProgress(
                    planId: plan.id,
                    customerId: plan.customerId,
                    elapsedShare: t,
                    plannedAmount: plan.plannedAmount,
                    actualAmount: actual,
                    expectedToDate: expected,
                    ratio: ratio,
                    isChecked: checked,
                    warning: warning)
            }
    }
}
