import Foundation
import RapportModels
import Testing
@testable import RapportInsights

/// Shared builders for the insight-rule tests: fixed calendars, fixed instants, ids that sort
/// by number, and customers, orders and rules with the defaults the tests assume.
enum InsightFixture {
    /// Gregorian in UTC: calendar days are exactly 86 400 s apart.
    static let utc: Calendar = calendar("UTC")
    /// Gregorian in Asia/Shanghai (UTC+8, no daylight saving).
    static let shanghai: Calendar = calendar("Asia/Shanghai")
    /// Gregorian in Europe/Berlin (daylight saving starts on Sunday 2025-03-30).
    static let berlin: Calendar = calendar("Europe/Berlin")

    /// "Now" for most tests: Monday 2025-06-30 12:00 UTC.
    static let asOf: Date = date(2025, 6, 30, 12)
    /// A creation date old enough for every customer to be ranked.
    static let longAgo: Date = date(2020, 1, 1)

    static func calendar(_ zone: String) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        return calendar
    }

    /// An instant given as wall-clock time in `calendar`'s zone (UTC by default).
    static func date(
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0, _ minute: Int = 0, _ second: Int = 0,
        in calendar: Calendar = utc
    ) -> Date {
        calendar.date(
            from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))!
    }

    /// `days` calendar days before ``asOf`` (same time of day, UTC).
    static func daysAgo(_ days: Int) -> Date {
        asOf.addingTimeInterval(-Double(days) * 86_400)
    }

    /// A UUID whose string, and so whose tie-break order, follows `n`.
    static func id(_ n: Int) -> UUID {
        UUID(uuidString: String(format: "00000000-0000-0000-0000-%012d", n))!
    }

    static func customer(
        _ n: Int,
        kind: InsightCustomerKind = .individual,
        createdAt: Date = longAgo,
        tierOverride: ValueTier? = nil,
        accountManager: Bool = true,
        creditLimit: Int64? = nil,
        paymentTermDays: Int = 30
    ) -> InsightCustomer {
        InsightCustomer(
            id: id(n), kind: kind, createdAt: createdAt, tierOverride: tierOverride,
            accountManagerId: accountManager ? id(9_000 + n) : nil, creditLimit: creditLimit,
            paymentTermDays: paymentTermDays)
    }

    /// An order of customer `n`; profit defaults to the net amount.
    static func order(
        _ n: Int, at date: Date = daysAgo(10), net: Int64, profit: Int64? = nil, invoiced: Bool = true
    ) -> OrderFact {
        OrderFact(customerId: id(n), orderedAt: date, netAmount: net, grossProfit: profit ?? net, invoiced: invoiced)
    }

    static func rules(
        calendar: Calendar = utc, _ configure: (inout InsightThresholds) -> Void = { _ in }
    ) -> InsightRules {
        var thresholds = InsightThresholds()
        configure(&thresholds)
        return InsightRules(thresholds: thresholds, calendar: calendar)
    }
}

@Suite("Insight fixtures")
struct InsightFixtureTests {
    @Test("fixture ids sort by number, which the tie-break tests rely on")
    func idsSortByNumber() {
        let keys = [2, 10, 1, 100].map { InsightFixture.id($0).insightSortKey }.sorted()
        #expect(keys == [1, 2, 10, 100].map { InsightFixture.id($0).insightSortKey })
    }

    @Test("daysAgo is a whole number of UTC calendar days")
    func daysAgoIsCalendarDays() {
        let rules = InsightFixture.rules()
        #expect(rules.calendarDays(from: InsightFixture.daysAgo(181), to: InsightFixture.asOf) == 181)
        #expect(rules.calendarDays(from: InsightFixture.asOf, to: InsightFixture.daysAgo(3)) == -3)
    }
}
