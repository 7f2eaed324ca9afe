import Foundation
import RapportModels

extension InsightRules {
    /// Satisfaction, loyalty and complaint indicators for `period` (start inclusive, end
    /// exclusive).
    ///
    /// Surveys, orders and complaints are selected by their answer, order and receipt dates.
    /// Responses and resolutions after `asOf` are treated as not having happened, so the same
    /// inputs always give the same answer. SLA outcomes come from
    /// ``complaintSLA(_:asOf:)``; pending outcomes are left out of the shares.
    public func serviceIndicators(
        surveys: [SurveyFact],
        orders: [OrderFact],
        complaints: [ComplaintFact],
        period: DateInterval,
        asOf: Date
    ) -> InsightServiceIndicators {
        let distribution = InsightSurveyDistribution(
            scores: surveys.filter { period.containsHalfOpen($0.answeredAt) }.map(\.score))

        let periodOrders = orders.filter { period.containsHalfOpen($0.orderedAt) }
        let ordersPerCustomer = grouped(periodOrders, by: \.customerId).mapValues(\.count)
        let loyalty = InsightLoyaltyIndicators(
            buyingCustomers: ordersPerCustomer.count,
            repeatCustomers: ordersPerCustomer.values.filter { $0 >= 2 }.count,
            orderCount: periodOrders.count,
            totalSpend: periodOrders.reduce(Int64(0)) { $0 + $1.netAmount })

        let received = complaints.filter { period.containsHalfOpen($0.receivedAt) }
        let responseTimes = received.compactMap { complaint in
            complaint.firstRespondedAt.flatMap {
                $0 <= asOf ? max(0, $0.timeIntervalSince(complaint.receivedAt)) : nil
            }
        }
        let resolutionTimes = received.compactMap { complaint in
            complaint.resolvedAt.flatMap { $0 <= asOf ? max(0, $0.timeIntervalSince(complaint.receivedAt)) : nil }
        }
        var response = InsightSLASummary()
        var resolution = InsightSLASummary()
        var overall = InsightSLASummary()
        for complaint in received {
            let sla = complaintSLA(complaint, asOf: asOf)
            response.record(sla.response)
            resolution.record(sla.resolution)
            overall.record(sla.overall)
        }

        return InsightServiceIndicators(
            period: period,
            surveys: distribution,
            satisfaction: distribution.satisfiedShare(minimumScore: thresholds.satisfiedMinimumScore),
            loyalty: loyalty,
            complaintCount: received.count,
            complaintRate: InsightMath.ratio(Double(received.count), Double(periodOrders.count)),
            medianFirstResponseSeconds: InsightMath.median(responseTimes),
            medianResolutionSeconds: InsightMath.median(resolutionTimes),
            responseSLA: response,
            resolutionSLA: resolution,
            overallSLA: overall)
    }

    /// The SLA deadlines and outcomes of one complaint as of `asOf`.
    ///
    /// Key customers (``ComplaintFact/customerTier`` `== .key`): first response within
    /// ``InsightThresholds/keyResponseBusinessHours`` business hours
    /// (``InsightThresholds/businessHours`` in the calendar's time zone), resolution within
    /// ``InsightThresholds/keyResolutionDays`` × 24 elapsed hours. Others: response within
    /// ``InsightThresholds/standardResponseHours`` elapsed hours, resolution within
    /// ``InsightThresholds/standardResolutionDays`` × 24 elapsed hours. Done at or before the
    /// deadline is met; done later, or not done by `asOf` with the deadline passed, is breached;
    /// otherwise pending.
    public func complaintSLA(_ complaint: ComplaintFact, asOf: Date) -> InsightComplaintSLA {
        let isKey = complaint.customerTier == .key
        let responseDeadline: Date
        let resolutionDays: Double
        if isKey {
            responseDeadline =
                thresholds.businessHours.deadline(
                    addingBusinessHours: thresholds.keyResponseBusinessHours, to: complaint.receivedAt,
                    calendar: calendar)
                ?? complaint.receivedAt.addingTimeInterval(thresholds.keyResponseBusinessHours * 3_600)
            resolutionDays = thresholds.keyResolutionDays
        } else {
            responseDeadline = complaint.receivedAt.addingTimeInterval(thresholds.standardResponseHours * 3_600)
            resolutionDays = thresholds.standardResolutionDays
        }
        let resolutionDeadline = complaint.receivedAt.addingTimeInterval(resolutionDays * 86_400)

        func outcome(doneAt: Date?, deadline: Date) -> InsightSLAStatus {
            if let doneAt, doneAt <= asOf {
                return doneAt <= deadline ? .met : .breached
            }
            return asOf > deadline ? .breached : .pending
        }
        let response = outcome(doneAt: complaint.firstRespondedAt, deadline: responseDeadline)
        let resolution = outcome(doneAt: complaint.resolvedAt, deadline: resolutionDeadline)
        let overall: InsightSLAStatus =
            response == .breached || resolution == .breached
            ? .breached : response == .met && resolution == .met ? .met : .pending
        return InsightComplaintSLA(
            complaintId: complaint.id,
            customerId: complaint.customerId,
            isKeyCustomer: isKey,
            responseDeadline: responseDeadline,
            resolutionDeadline: resolutionDeadline,
            response: response,
            resolution: resolution,
            overall: overall)
    }
}
