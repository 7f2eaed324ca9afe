/// A reason to think a normal or small customer could move up a tier.
public enum InsightUpgradeSignal: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Profit grew year on year by at least ``InsightThresholds/upgradeProfitGrowth``.
    case profitGrowth
    /// Buys recently and often but spends little: R ≥ 4, F ≥ 4 and M ≤ 3 (by default).
    case engagedLowSpend

    /// Declaration order.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.order < rhs.order
    }

    private var order: Int {
        switch self {
        case .profitGrowth: 0
        case .engagedLowSpend: 1
        }
    }
}
