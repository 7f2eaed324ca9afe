import Foundation

extension InsightRules {
    /// RFM scores for every listed customer with at least one order in the trailing window.
    ///
    /// R is calendar days since the last order in the window, F the number of orders in the
    /// window, M their net revenue. Individuals and enterprises are scored apart. Each axis is
    /// scored by mid-rank quintile: with `n` customers in the segment, `w` of them strictly
    /// worse and `e` equal (including the customer), the score is
    /// `1 + floor(5 × (w + e/2) ÷ n)`. A segment with fewer than
    /// ``InsightThresholds/rfmMinimumSegmentSize`` customers scores R by the fixed cut-offs
    /// instead; F and M stay on quintiles. Customers without orders in the window get no score.
    ///
    /// - Returns: Scores ordered by customer id.
    public func rfmScores(customers: [InsightCustomer], orders: [OrderFact], asOf: Date) -> [InsightRFMScore] {
        let window = trailingWindow(endingAt: asOf)
        let ordersByCustomer = grouped(orders.filter { window.contains($0.orderedAt) }, by: \.customerId)

        struct Raw {
            var customer: InsightCustomer
            var recencyDays: Int
            var frequency: Int
            var monetary: Int64
        }
        var segments: [InsightCustomerKind: [Raw]] = [:]
        for customer in distinctCustomers(customers) {
            guard let own = ordersByCustomer[customer.id], let last = own.map(\.orderedAt).max() else { continue }
            let raw = Raw(
                customer: customer,
                recencyDays: max(0, calendarDays(from: last, to: asOf)),
                frequency: own.count,
                monetary: own.reduce(0) { $0 + $1.netAmount })
            segments[customer.kind, default: []].append(raw)
        }

        var scores: [InsightRFMScore] = []
        for (kind, members) in segments {
            let fixed = members.count < thresholds.rfmMinimumSegmentSize
            // Fewer days is better, so score the negated day count.
            let recency = InsightMath.quintileScores(members.map { -$0.recencyDays })
            let frequency = InsightMath.quintileScores(members.map(\.frequency))
            let monetary = InsightMath.quintileScores(members.map(\.monetary))
            for raw in members {
                scores.append(
                    InsightRFMScore(
                        customerId: raw.customer.id,
                        kind: kind,
                        recencyDays: raw.recencyDays,
                        frequency: raw.frequency,
                        monetary: raw.monetary,
                        recencyScore: fixed ? fixedRecencyScore(days: raw.recencyDays) : recency[-raw.recencyDays] ?? 3,
                        frequencyScore: frequency[raw.frequency] ?? 3,
                        monetaryScore: monetary[raw.monetary] ?? 3,
                        recencyMethod: fixed ? .fixedCutoffs : .quintile,
                        segmentSize: members.count))
            }
        }
        return scores.sorted { $0.customerId.insightSortKey < $1.customerId.insightSortKey }
    }

    /// The recency score by ``InsightThresholds/rfmRecencyCutoffDays``: 5 minus the number of
    /// cut-offs that `days` exceeds (so with the defaults ≤ 30 → 5, ≤ 60 → 4, ≤ 90 → 3,
    /// ≤ 180 → 2, more → 1).
    public func fixedRecencyScore(days: Int) -> Int {
        let exceeded = thresholds.rfmRecencyCutoffDays.prefix(4).filter { days > $0 }.count
        return max(1, 5 - exceeded)
    }
}
