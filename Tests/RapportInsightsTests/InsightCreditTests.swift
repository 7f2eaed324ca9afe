import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight rule 3: credit")
struct InsightCreditTests {
    typealias F = InsightFixture

    /// One customer with `limit`, one open receivable, one uninvoiced order and a current order.
    func assess(
        limit: Int64?, receivable: Int64, uninvoiced: Int64, current: Int64, daysPastDue: Int = 0
    ) -> InsightCreditAssessment {
        let receivables = [
            ReceivableFact(
                customerId: F.id(1), invoicedAt: F.daysAgo(daysPastDue + 30), dueAt: F.daysAgo(daysPastDue),
                outstanding: receivable)
        ]
        let orders = [F.order(1, net: uninvoiced, invoiced: false)]
        return F.rules().creditAssessment(
            for: F.customer(1, creditLimit: limit), receivables: receivables, orders: orders,
            currentOrderAmount: current, asOf: F.asOf)
    }

    @Test(
        "exposure against a limit of 1000: warning from 90%, critical above 100%",
        arguments: [
            // receivable + uninvoiced + current = exposure → severity
            (600, 200, 99, nil),  // 899 → 0.899
            (600, 200, 100, InsightSeverity.warning),  // 900 → exactly 0.9
            (600, 400, 0, .warning),  // 1000 → exactly 1.0 is not "above"
            (600, 400, 1, .critical),  // 1001
            (0, 0, 0, nil),
            (-200, 0, 1_000, nil),  // a credit note lowers exposure to 800
        ] as [(Int64, Int64, Int64, InsightSeverity?)])
    func utilisationBoundaries(receivable: Int64, uninvoiced: Int64, current: Int64, expected: InsightSeverity?) {
        let result = assess(limit: 1_000, receivable: receivable, uninvoiced: uninvoiced, current: current)
        #expect(result.exposure == receivable + uninvoiced + current)
        #expect(result.utilisation == Double(receivable + uninvoiced + current) / 1_000)
        #expect(result.warning?.severity == expected)
    }

    @Test("the warning carries its figures and a stable dedupe key")
    func warningValues() throws {
        let warning = try #require(assess(limit: 1_000, receivable: 600, uninvoiced: 200, current: 100).warning)
        #expect(warning.kind == .creditOverLimit)
        #expect(warning.dedupeKey == "creditOverLimit:00000000-0000-0000-0000-000000000001")
        #expect(
            warning.values == [
                "exposure": 900, "creditLimit": 1_000, "utilisation": 0.9, "outstandingReceivables": 600,
                "uninvoicedOrders": 200, "currentOrder": 100, "maxDaysPastTerms": 0,
            ])
    }

    @Test(
        "an open invoice more than 30 days past terms is critical whatever the utilisation",
        arguments: [
            (31, Int64(1_000), InsightSeverity?.some(.critical)),
            (30, 1_000, nil),  // exactly 30 is not "over 30"
            (31, nil, .critical),  // even without a limit
            (30, nil, nil),
        ] as [(Int, Int64?, InsightSeverity?)])
    func overdueInvoice(daysPastDue: Int, limit: Int64?, expected: InsightSeverity?) {
        let result = assess(limit: limit, receivable: 10, uninvoiced: 0, current: 0, daysPastDue: daysPastDue)
        #expect(result.maxDaysPastTerms == daysPastDue)
        #expect(result.warning?.severity == expected)
    }

    @Test("without a due date, terms come from the customer; paid invoices never count")
    func termsAndPaidInvoices() {
        // Invoiced 61 days ago: 30-day terms → 31 days past → critical; 31-day terms → 30 → fine.
        let open = ReceivableFact(customerId: F.id(1), invoicedAt: F.daysAgo(61), outstanding: 1)
        let paid = ReceivableFact(customerId: F.id(1), invoicedAt: F.daysAgo(500), outstanding: 0)
        let rules = F.rules()
        for (terms, expected) in [(30, InsightSeverity?.some(.critical)), (31, nil)] {
            let result = rules.creditAssessment(
                for: F.customer(1, creditLimit: 1_000, paymentTermDays: terms), receivables: [open, paid], orders: [],
                asOf: F.asOf)
            #expect(result.warning?.severity == expected, "terms \(terms)")
        }
    }

    @Test("no limit means no utilisation check; a zero limit makes any exposure critical")
    func missingAndZeroLimits() {
        let unlimited = assess(limit: nil, receivable: 1_000_000, uninvoiced: 0, current: 0)
        #expect(unlimited.utilisation == nil)
        #expect(unlimited.warning == nil)
        let zero = assess(limit: 0, receivable: 1, uninvoiced: 0, current: 0)
        #expect(zero.utilisation == nil)
        #expect(zero.warning?.severity == .critical)
        #expect(zero.warning?.values["utilisation"] == nil)
        #expect(assess(limit: 0, receivable: 0, uninvoiced: 0, current: 0).warning == nil)
    }

    @Test("only this customer's uninvoiced orders up to asOf count")
    func exposureComposition() {
        let orders = [
            F.order(1, net: 100, invoiced: false), F.order(1, net: 1_000, invoiced: true),
            F.order(1, at: F.asOf.addingTimeInterval(60), net: 1_000, invoiced: false),
            F.order(2, net: 1_000, invoiced: false),
        ]
        let receivables = [
            ReceivableFact(customerId: F.id(1), invoicedAt: F.daysAgo(5), outstanding: 50),
            ReceivableFact(customerId: F.id(2), invoicedAt: F.daysAgo(5), outstanding: 5_000),
        ]
        let all = F.rules().creditAssessments(
            customers: [F.customer(2, creditLimit: 100), F.customer(1, creditLimit: 1_000)], receivables: receivables,
            orders: orders, asOf: F.asOf)
        #expect(all.map(\.customerId) == [F.id(1), F.id(2)])
        #expect(all[0].uninvoicedOrders == 100)
        #expect(all[0].outstandingReceivables == 50)
        #expect(all[0].exposure == 150)
        #expect(all[0].warning == nil)
        #expect(all[1].exposure == 6_000)
        #expect(all[1].warning?.severity == .critical)
    }
}
