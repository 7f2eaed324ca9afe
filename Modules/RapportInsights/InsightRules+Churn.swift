import Foundation

extension InsightRules {
    /// Churn risk and revenue trend of one customer; orders of other customers and orders after
    /// `asOf` are ignored.
    ///
    /// With at least ``InsightThresholds/churnMinimumOrders`` orders and `m` the median
    /// calendar-day gap between consecutive orders, more than `max(2m, 30)` days since the last
    /// order is a warning and more than `max(3m, 180)` critical. With fewer (but some) orders,
    /// more than 90 days (enterprise) or 180 days (individual) is a warning. Separately, revenue
    /// in the trailing window at least ``InsightThresholds/revenueDropShare`` below the window
    /// before (which must be positive) raises `revenueDrop`.
    ///
    /// ```swift
    /// // gaps 10, 20, 30 days → m = 20 → warning after 40 days, critical after 180
    /// ```
    public func churnAssessment(for customer: InsightCustomer, orders: [OrderFact], asOf: Date)
        -> InsightChurnAssessment
    {
        let own = orders.filter { $0.customerId == customer.id && $0.orderedAt <= asOf }
        let dates = own.map(\.orderedAt).sorted()
        let current = trailingWindow(endingAt: asOf)
        let prior = trailingWindow(endingAt: asOf, windowsBack: 1)
        let revenue = own.filter { current.contains($0.orderedAt) }.reduce(Int64(0)) { $0 + $1.netAmount }
        let priorRevenue = own.filter { prior.contains($0.orderedAt) }.reduce(Int64(0)) { $0 + $1.netAmount }

        var daysSince: Int?
        var medianGap: Double?
        var warnAfter: Double?
        var criticalAfter: Double?
        if let last = dates.last {
            daysSince = max(0, calendarDays(from: last, to: asOf))
            if dates.count >= thresholds.churnMinimumOrders {
                let gaps = zip(dates, dates.dropFirst()).map { Double(calendarDays(from: $0, to: $1)) }
                let m = InsightMath.median(gaps) ?? 0
                medianGap = m
                warnAfter = max(thresholds.churnWarningGapMultiple * m, Double(thresholds.churnWarningMinimumDays))
                criticalAfter = max(
                    thresholds.churnCriticalGapMultiple * m, Double(thresholds.churnCriticalMinimumDays))
            } else {
                warnAfter = Double(
                    customer.kind == .enterprise
                        ? thresholds.churnFewOrdersEnterpriseDays : thresholds.churnFewOrdersIndividualDays)
            }
        }

        var warnings: [InsightWarning] = []
        if let daysSince, let warnAfter {
            let days = Double(daysSince)
            let severity: InsightSeverity? =
                criticalAfter.map { days > $0 } == true ? .critical : days > warnAfter ? .warning : nil
            if let severity {
                var values: [String: Double] = [
                    "daysSinceLastOrder": days, "orderCount": Double(dates.count), "warningAfterDays": warnAfter,
                ]
                values["medianGapDays"] = medianGap
                values["criticalAfterDays"] = criticalAfter
                warnings.append(
                    InsightWarning(
                        kind: .churnRisk,
                        severity: severity,
                        customerId: customer.id,
                        dedupeKey: InsightWarning.dedupeKey(kind: .churnRisk, customerId: customer.id),
                        values: values))
            }
        }

        let change = priorRevenue > 0 ? InsightMath.ratio(revenue - priorRevenue, priorRevenue) : nil
        if priorRevenue > 0, let drop = InsightMath.ratio(priorRevenue - revenue, priorRevenue),
            drop >= thresholds.revenueDropShare
        {
            warnings.append(
                InsightWarning(
                    kind: .revenueDrop,
                    severity: .warning,
                    customerId: customer.id,
                    dedupeKey: InsightWarning.dedupeKey(kind: .revenueDrop, customerId: customer.id),
                    values: ["revenue": Double(revenue), "priorRevenue": Double(priorRevenue), "drop": drop]))
        }

        return InsightChurnAssessment(
            customerId: customer.id,
            orderCount: dates.count,
            lastOrderAt: dates.last,
            daysSinceLastOrder: daysSince,
            medianGapDays: medianGap,
            warningAfterDays: warnAfter,
            criticalAfterDays: criticalAfter,
            revenue: revenue,
            priorRevenue: priorRevenue,
            revenueChange: change,
            warnings: warnings)
    }

    /// ``churnAssessment(for:orders:asOf:)`` for every listed customer, ordered by customer id.
    public func churnAssessments(customers: [InsightCustomer], orders: [OrderFact], asOf: Date)
        -> [InsightChurnAssessment]
    {
        let ordersByCustomer = grouped(orders, by: \.customerId)
        return distinctCustomers(customers).map {
            churnAssessment(for: $0, orders: ordersByCustomer[$0.id] ?? [], asOf: asOf)
        }
    }
}
