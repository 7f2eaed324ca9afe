import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 7: service and loyalty indicators")
struct InsightServiceIndicatorsTests {
    typealias F = InsightFixture

    static func sh(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0, _ second: Int = 0) -> Date {
        InsightFixture.date(2025, month, day, hour, minute, second, in: InsightFixture.shanghai)
    }

    @Test("survey distribution over five levels; satisfaction = share of 4s and 5s")
    func surveyDistribution() {
        // Valid: 5, 5, 4, 3, 1, 2, 4 → 1:1, 2:1, 3:1, 4:2, 5:2, total 7; 0 and 6 are ignored.
        // Satisfied = (2 + 2) / 7.
        let distribution = InsightSurveyDistribution(scores: [5, 5, 4, 3, 1, 2, 4, 0, 6])
        #expect(
            distribution
                == InsightSurveyDistribution(
                    veryDissatisfied: 1, somewhatDissatisfied: 1, neutral: 1, satisfied: 2, highlySatisfied: 2,
                    ignored: 2))
        #expect(distribution.total == 7)
        #expect(distribution.satisfiedShare() == 4.0 / 7.0)
        #expect(distribution.satisfiedShare(minimumScore: 5) == 2.0 / 7.0)
        #expect(distribution.share(ofScore: 1) == 1.0 / 7.0)
        #expect(distribution.count(ofScore: 9) == 0)
        let empty = InsightSurveyDistribution(scores: [0])
        #expect(empty.satisfiedShare() == nil && empty.share(ofScore: 3) == nil)
    }

    @Test("a month of surveys, orders and complaints, worked by hand")
    func handWorkedMonth() {
        // Period: June 2025 (UTC), end exclusive; asOf = the period end.
        let period = DateInterval(start: F.date(2025, 6, 1), end: F.date(2025, 7, 1))
        let asOf = period.end
        let surveys =
            [5, 5, 4, 3, 1, 2, 4].map { SurveyFact(customerId: F.id(1), answeredAt: F.date(2025, 6, 10), score: $0) }
            + [
                SurveyFact(customerId: F.id(1), answeredAt: F.date(2025, 5, 31, 23), score: 1),
                SurveyFact(customerId: F.id(1), answeredAt: period.end, score: 1),
            ]
        // Orders: customer 1 ×3 (100 each), 2 ×1 (300), 3 ×2 (50 each) → 6 orders, 3 buyers,
        // 2 repeat buyers, spend 700. Customer 4's order is in May.
        let orders =
            (0..<3).map { _ in F.order(1, at: F.date(2025, 6, 5), net: 100) } + [
                F.order(2, at: F.date(2025, 6, 6), net: 300)
            ]
            + (0..<2).map { _ in F.order(3, at: F.date(2025, 6, 7), net: 50) } + [
                F.order(4, at: F.date(2025, 5, 7), net: 9)
            ]
        // Complaints (standard SLA: respond within 24 h, resolve within 5 days):
        //   c1 respond 1 h, resolve 2 d        → met, met       → overall met
        //   c2 respond 3 h, resolve 6 d        → met, breached  → breached
        //   c3 respond 25 h, unresolved        → breached, breached (5 d passed long before asOf)
        //   c4 received 30 June 20:00, answered 1 July 01:00 (after asOf) → pending, pending
        //   c5 received in May → outside the period
        let hour = 3_600.0
        let day = 86_400.0
        let c1 = F.date(2025, 6, 2, 10)
        let c2 = F.date(2025, 6, 3, 10)
        let c3 = F.date(2025, 6, 4, 10)
        let c4 = F.date(2025, 6, 30, 20)
        let complaints = [
            ComplaintFact(customerId: F.id(1), receivedAt: c1, firstRespondedAt: c1 + hour, resolvedAt: c1 + 2 * day),
            ComplaintFact(
                customerId: F.id(2), receivedAt: c2, firstRespondedAt: c2 + 3 * hour, resolvedAt: c2 + 6 * day),
            ComplaintFact(customerId: F.id(3), receivedAt: c3, firstRespondedAt: c3 + 25 * hour),
            ComplaintFact(customerId: F.id(1), receivedAt: c4, firstRespondedAt: c4 + 5 * hour),
            ComplaintFact(
                customerId: F.id(1), receivedAt: F.date(2025, 5, 30), firstRespondedAt: F.date(2025, 5, 30, 1)),
        ]
        let result = F.rules().serviceIndicators(
            surveys: surveys, orders: orders, complaints: complaints, period: period, asOf: asOf)

        #expect(result.surveys.total == 7)
        #expect(result.satisfaction == 4.0 / 7.0)
        #expect(result.loyalty.buyingCustomers == 3)
        #expect(result.loyalty.repeatCustomers == 2)
        #expect(result.loyalty.repeatPurchaseRate == 2.0 / 3.0)
        #expect(result.loyalty.orderCount == 6)
        #expect(result.loyalty.totalSpend == 700)
        #expect(result.loyalty.averageSpendPerCustomer == 700.0 / 3.0)
        #expect(result.loyalty.averageOrderValue == 700.0 / 6.0)
        #expect(result.loyalty.ordersPerCustomer == 2)
        #expect(result.complaintCount == 4)
        #expect(result.complaintRate == 4.0 / 6.0)
        // Response times answered by asOf: 1 h, 3 h, 25 h → median 3 h.
        #expect(result.medianFirstResponseSeconds == 3 * hour)
        // Resolution times: 2 d and 6 d → median 4 d (mean of the middle pair).
        #expect(result.medianResolutionSeconds == 4 * day)
        #expect(result.responseSLA == InsightSLASummary(met: 2, breached: 1, pending: 1))
        #expect(result.responseSLA.share == 2.0 / 3.0)
        #expect(result.resolutionSLA == InsightSLASummary(met: 1, breached: 2, pending: 1))
        #expect(result.overallSLA == InsightSLASummary(met: 1, breached: 2, pending: 1))
        #expect(result.overallSLA.share == 1.0 / 3.0)
    }

    @Test("no data at all gives nil rates, never NaN")
    func empty() {
        let period = DateInterval(start: F.date(2025, 6, 1), end: F.date(2025, 7, 1))
        let result = F.rules().serviceIndicators(surveys: [], orders: [], complaints: [], period: period, asOf: F.asOf)
        #expect(result.satisfaction == nil)
        #expect(result.loyalty.repeatPurchaseRate == nil)
        #expect(result.loyalty.averageSpendPerCustomer == nil)
        #expect(result.loyalty.averageOrderValue == nil)
        #expect(result.complaintRate == nil)
        #expect(result.medianFirstResponseSeconds == nil && result.medianResolutionSeconds == nil)
        #expect(result.responseSLA.share == nil && result.overallSLA.share == nil)
        // Complaints without orders: a count, but no rate.
        let lonely = F.rules().serviceIndicators(
            surveys: [], orders: [], complaints: [ComplaintFact(customerId: F.id(1), receivedAt: F.date(2025, 6, 2))],
            period: period, asOf: F.asOf)
        #expect(lonely.complaintCount == 1 && lonely.complaintRate == nil)
    }

    @Test(
        "key customers: 4 business hours to respond, across a weekend; others 24 elapsed hours",
        arguments: [
            // Received Friday 2025-06-27 16:00 Shanghai. Key deadline: Monday 11:00.
            (ValueTier.key, sh(6, 30, 11), InsightSLAStatus.met),
            (.key, sh(6, 30, 11, 0, 1), .breached),
            // Standard deadline: Saturday 16:00 — Monday is far too late.
            (.normal, sh(6, 28, 16), .met),
            (.normal, sh(6, 28, 16, 0, 1), .breached),
            (.small, sh(6, 30, 11), .breached),
        ] as [(ValueTier, Date, InsightSLAStatus)])
    func responseAcrossWeekend(tier: ValueTier, respondedAt: Date, expected: InsightSLAStatus) {
        let rules = F.rules(calendar: F.shanghai)
        let complaint = ComplaintFact(
            customerId: F.id(1), customerTier: tier, receivedAt: Self.sh(6, 27, 16), firstRespondedAt: respondedAt)
        let sla = rules.complaintSLA(complaint, asOf: Self.sh(7, 31, 0))
        #expect(sla.isKeyCustomer == (tier == .key))
        #expect(sla.responseDeadline == (tier == .key ? Self.sh(6, 30, 11) : Self.sh(6, 28, 16)))
        #expect(sla.response == expected)
    }

    @Test(
        "resolution: key 3 days, others 5 days, in elapsed time",
        arguments: [
            (ValueTier.key, 3 * 86_400.0, InsightSLAStatus.met),
            (.key, 3 * 86_400 + 1, .breached),
            (.normal, 5 * 86_400, .met),
            (.normal, 5 * 86_400 + 1, .breached),
        ] as [(ValueTier, Double, InsightSLAStatus)])
    func resolution(tier: ValueTier, after seconds: Double, expected: InsightSLAStatus) {
        let received = Self.sh(6, 27, 16)
        let complaint = ComplaintFact(
            customerId: F.id(1), customerTier: tier, receivedAt: received, firstRespondedAt: received,
            resolvedAt: received + seconds)
        let sla = F.rules(calendar: F.shanghai).complaintSLA(complaint, asOf: Self.sh(8, 1, 0))
        #expect(sla.resolution == expected)
        #expect(sla.overall == expected)
    }

    @Test("open complaints are pending until their deadline passes; later answers do not count yet")
    func pendingAndOverall() {
        let rules = F.rules(calendar: F.shanghai)
        let received = Self.sh(6, 27, 16)
        let open = ComplaintFact(customerId: F.id(1), customerTier: .key, receivedAt: received)
        // Monday 10:59: response deadline (11:00) not reached → pending; overall pending.
        let early = rules.complaintSLA(open, asOf: Self.sh(6, 30, 10, 59))
        #expect([early.response, early.resolution, early.overall] == [.pending, .pending, .pending])
        // Monday 11:00 exactly: still pending (breach needs asOf past the deadline).
        #expect(rules.complaintSLA(open, asOf: Self.sh(6, 30, 11)).response == .pending)
        // Monday 11:01: response breached, resolution still pending → overall breached.
        let late = rules.complaintSLA(open, asOf: Self.sh(6, 30, 11, 1))
        #expect([late.response, late.resolution, late.overall] == [.breached, .pending, .breached])
        // Answered at 10:00 but evaluated as of 09:30: the answer has not happened yet.
        var answered = open
        answered.firstRespondedAt = Self.sh(6, 30, 10)
        #expect(rules.complaintSLA(answered, asOf: Self.sh(6, 30, 9, 30)).response == .pending)
        // Response met, resolution pending → overall pending.
        let midway = rules.complaintSLA(answered, asOf: Self.sh(6, 30, 12))
        #expect([midway.response, midway.resolution, midway.overall] == [.met, .pending, .pending])
    }
}
