import Foundation

extension InsightRules {
    /// Checks one customer's credit, optionally with an order about to be placed.
    ///
    /// Exposure = outstanding receivables + uninvoiced orders (placed up to `asOf`) + the current
    /// order. With a positive limit: utilisation ≥ ``InsightThresholds/creditWarningUtilisation``
    /// is a warning, > ``InsightThresholds/creditCriticalUtilisation`` critical. A limit of zero
    /// or less makes any positive exposure critical. Independently of the limit, an open invoice
    /// more than ``InsightThresholds/creditCriticalDaysPastTerms`` calendar days past its due
    /// date is critical. Facts of other customers are ignored.
    ///
    /// ```swift
    /// // limit 1000, receivables 600, uninvoiced 200, new order 100 → exposure 900 = 90% → warning
    /// let check = rules.creditAssessment(for: c, receivables: r, orders: o, currentOrderAmount: 100, asOf: now)
    /// ```
    public func creditAssessment(
        for customer: InsightCustomer,
        receivables: [ReceivableFact],
        orders: [OrderFact],
        currentOrderAmount: Int64 = 0,
        asOf: Date
    ) -> InsightCreditAssessment {
        let own = receivables.filter { $0.customerId == customer.id }
        let outstanding = own.reduce(Int64(0)) { $0 + $1.outstanding }
        let uninvoiced = orders.filter { $0.customerId == customer.id && !$0.invoiced && $0.orderedAt <= asOf }
            .reduce(Int64(0)) { $0 + $1.netAmount }
        let exposure = outstanding + uninvoiced + currentOrderAmount
        let pastTerms = maxDaysPastDue(own, customer: customer, asOf: asOf)
        let limit = customer.creditLimit
        let utilisation = limit.flatMap { $0 > 0 ? InsightMath.ratio(exposure, $0) : nil }

        var severity: InsightSeverity?
        if let limit {
            if let utilisation {
                if utilisation > thresholds.creditCriticalUtilisation {
                    severity = .critical
                } else if utilisation >= thresholds.creditWarningUtilisation {
                    severity = .warning
                }
            } else if limit <= 0 && exposure > 0 {
                severity = .critical
            }
        }
        if pastTerms > thresholds.creditCriticalDaysPastTerms {
            severity = .critical
        }

        var warning: InsightWarning?
        if let severity {
            var values: [String: Double] = [
                "exposure": Double(exposure),
                "outstandingReceivables": Double(outstanding),
                "uninvoicedOrders": Double(uninvoiced),
                "currentOrder": Double(currentOrderAmount),
                "maxDaysPastTerms": Double(pastTerms),
            ]
            values["creditLimit"] = limit.map(Double.init)
            values["utilisation"] = utilisation
            warning = InsightWarning(
                kind: .creditOverLimit,
                severity: severity,
                customerId: customer.id,
                dedupeKey: InsightWarning.dedupeKey(kind: .creditOverLimit, customerId: customer.id),
                values: values)
        }
        return InsightCreditAssessment(
            customerId: customer.id,
            creditLimit: limit,
            outstandingReceivables: outstanding,
            uninvoicedOrders: uninvoiced,
            currentOrder: currentOrderAmount,
            exposure: exposure,
            utilisation: utilisation,
            maxDaysPastTerms: pastTerms,
            warning: warning)
    }

    /// ``creditAssessment(for:receivables:orders:currentOrderAmount:asOf:)`` for every listed
    /// customer, without a current order, ordered by customer id.
    public func creditAssessments(
        customers: [InsightCustomer],
        receivables: [ReceivableFact],
        orders: [OrderFact],
        asOf: Date
    ) -> [InsightCreditAssessment] {
        let receivablesByCustomer = grouped(receivables, by: \.customerId)
        let ordersByCustomer = grouped(orders, by: \.customerId)
        return distinctCustomers(customers).map {
            creditAssessment(
                for: $0, receivables: receivablesByCustomer[$0.id] ?? [], orders: ordersByCustomer[$0.id] ?? [],
                asOf: asOf)
        }
    }
}
