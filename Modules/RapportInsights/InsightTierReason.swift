/// Why a customer got the tier (or no tier) they got in the value pyramid.
public enum InsightTierReason: String, Sendable, Codable, Hashable, CaseIterable {
    /// An administrator set the tier by hand; it wins over everything else.
    case manualOverride
    /// The customer is younger than ``InsightThresholds/minimumRankingAgeDays`` and is not ranked.
    case tooYoung
    /// Trailing-window profit is zero or negative: to drop.
    case nonPositiveProfit
    /// An open receivable is more than ``InsightThresholds/toDropOverdueDays`` past due: to drop.
    case overdueReceivable
    /// Ranked by profit against the cumulative-share thresholds: key, normal or small.
    case profitRank
}
