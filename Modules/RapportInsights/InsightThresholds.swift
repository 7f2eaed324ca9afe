/// Every tunable number of the insight rules, with the defaults of `DOMAIN.md`.
///
/// Shares and ratios are fractions (0.8 = 80%); money thresholds do not exist because every
/// money rule compares a customer against their own limit, plan or budget. How each threshold
/// is compared (`>=` or `>`) is stated on the property and in `Docs/Insights.md`.
///
/// ```swift
/// var thresholds = InsightThresholds()
/// thresholds.creditWarningUtilisation = 0.85
/// try thresholds.validate()
/// let rules = InsightRules(thresholds: thresholds, calendar: calendar)
/// ```
///
/// Decoding fills every missing key with its default, so a configuration file only names what
/// it changes; decoding validates.
public struct InsightThresholds: Sendable, Equatable {
    // MARK: Windows

    /// Length of the trailing window for profit, revenue and RFM, in calendar months (12).
    public var trailingMonths: Int = 12

    // MARK: Value pyramid

    /// Key customers are the smallest top-profit set whose cumulative profit reaches at least
    /// this share of the total (0.80).
    public var keyProfitShare: Double = 0.80
    /// Normal customers continue the ranking until cumulative profit reaches at least this
    /// share (0.95); the rest are small.
    public var normalProfitShare: Double = 0.95
    /// A receivable more than this many days past due makes the customer "to drop" (180).
    public var toDropOverdueDays: Int = 180
    /// Customers younger than this many days are not ranked (90).
    public var minimumRankingAgeDays: Int = 90
    /// Year-on-year profit growth at or above this share marks upgrade potential (0.25).
    public var upgradeProfitGrowth: Double = 0.25
    /// Upgrade potential by RFM needs R at least this (4)…
    public var upgradeMinimumRecencyScore: Int = 4
    /// …and F at least this (4)…
    public var upgradeMinimumFrequencyScore: Int = 4
    /// …and M at most this (3).
    public var upgradeMaximumMonetaryScore: Int = 3

    // MARK: RFM

    /// Segments (individuals, enterprises) with fewer scored customers than this use the fixed
    /// recency cut-offs instead of recency quintiles (50).
    public var rfmMinimumSegmentSize: Int = 50
    /// Fixed recency cut-offs in days, ascending, four values: days ≤ the first score 5,
    /// ≤ the second 4, ≤ the third 3, ≤ the fourth 2, otherwise 1 (30, 60, 90, 180).
    public var rfmRecencyCutoffDays: [Int] = [30, 60, 90, 180]

    // MARK: Credit

    /// Exposure ÷ limit at or above this is a warning (0.90).
    public var creditWarningUtilisation: Double = 0.90
    /// Exposure ÷ limit above this is critical (1.00).
    public var creditCriticalUtilisation: Double = 1.00
    /// An open invoice more than this many days past its terms is critical (30).
    public var creditCriticalDaysPastTerms: Int = 30

    // MARK: Purchase plan

    /// Plans are checked only once this share of the period has elapsed (0.25).
    public var planMinimumElapsedShare: Double = 0.25
    /// actual ÷ (plan × elapsed share) below this is a warning (0.8).
    public var planWarningRatio: Double = 0.8
    /// …below this it is critical (0.6).
    public var planCriticalRatio: Double = 0.6

    // MARK: Expense budget

    /// (approved + pending) ÷ budget at or above this is a warning (0.90).
    public var budgetWarningShare: Double = 0.90
    /// …above this it is critical (1.00).
    public var budgetCriticalShare: Double = 1.00

    // MARK: Churn

    /// Customers with at least this many orders are judged by their own median gap (3).
    public var churnMinimumOrders: Int = 3
    /// Warning when days since the last order exceed `max(this × median gap, churnWarningMinimumDays)` (2).
    public var churnWarningGapMultiple: Double = 2
    /// The floor of the warning interval in days (30).
    public var churnWarningMinimumDays: Int = 30
    /// Critical when days since the last order exceed `max(this × median gap, churnCriticalMinimumDays)` (3).
    public var churnCriticalGapMultiple: Double = 3
    /// The floor of the critical interval in days (180).
    public var churnCriticalMinimumDays: Int = 180
    /// With fewer orders, an enterprise is at risk after more than this many days (90).
    public var churnFewOrdersEnterpriseDays: Int = 90
    /// With fewer orders, an individual is at risk after more than this many days (180).
    public var churnFewOrdersIndividualDays: Int = 180
    /// Revenue falling by at least this share against the previous window is a warning (0.5).
    public var revenueDropShare: Double = 0.5

    // MARK: Service

    /// Survey scores at or above this count as satisfied (4).
    public var satisfiedMinimumScore: Int = 4
    /// Key customers: first response within this many business hours (4).
    public var keyResponseBusinessHours: Double = 4
    /// Key customers: resolution within this many elapsed days of 24 hours (3).
    public var keyResolutionDays: Double = 3
    /// Other customers: first response within this many elapsed hours (24).
    public var standardResponseHours: Double = 24
    /// Other customers: resolution within this many elapsed days of 24 hours (5).
    public var standardResolutionDays: Double = 5
    /// The working week behind ``keyResponseBusinessHours``.
    public var businessHours: InsightBusinessHours = InsightBusinessHours()

    /// Creates the default thresholds of `DOMAIN.md`; change properties afterwards.
    public init() {}
}
