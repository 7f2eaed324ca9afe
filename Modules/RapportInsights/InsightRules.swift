import Foundation

/// The insight rules of `DOMAIN.md` as pure functions.
///
/// Every rule reads only its arguments, the ``thresholds`` and the ``calendar``; "now" is always
/// the explicit `asOf` argument, so the same inputs give the same answer on the server, on a
/// phone and in a test. Day counts are calendar days in the calendar's time zone (the
/// organisation's), so an order at 23:30 and one at 00:30 the next morning are one day apart.
///
/// ```swift
/// var calendar = Calendar(identifier: .gregorian)
/// calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
/// let rules = InsightRules(calendar: calendar)
/// let pyramid = rules.valuePyramid(customers: customers, orders: orders, receivables: receivables, asOf: now)
/// let alerts = rules.warnings(for: facts, asOf: now)
/// ```
///
/// The rules, their edge cases and the exact comparisons are documented in `Docs/Insights.md`.
public struct InsightRules: Sendable {
    /// The tunable numbers.
    public var thresholds: InsightThresholds
    /// The organisation's calendar; its time zone defines calendar days and business hours.
    public var calendar: Calendar

    /// Creates the rules with the given thresholds (the defaults if omitted) and calendar.
    public init(thresholds: InsightThresholds = InsightThresholds(), calendar: Calendar) {
        self.thresholds = thresholds
        self.calendar = calendar
    }
}
