import Foundation
import RapportModels

/// One customer's place in the value pyramid.
public struct InsightTierResult: Sendable, Codable, Hashable {
    /// The customer.
    public var customerId: UUID
    /// The tier in force: the override if there is one, else the computed tier; `nil` for an
    /// unranked young customer without override.
    public var tier: ValueTier?
    /// The tier the rule computes, ignoring any override; `nil` for a young customer.
    public var computedTier: ValueTier?
    /// Why ``tier`` is what it is.
    public var reason: InsightTierReason
    /// Gross profit in the trailing window, minor units.
    public var profit: Int64
    /// Gross profit in the window before, minor units.
    public var priorProfit: Int64
    /// `(profit − priorProfit) ÷ priorProfit`; `nil` unless `priorProfit > 0`.
    public var profitGrowth: Double?
    /// 1-based position in the profit ranking; `nil` when not ranked.
    public var rank: Int?
    /// Share of total ranked profit reached including this customer; `nil` when not ranked.
    public var cumulativeProfitShare: Double?
    /// Why the customer might move up; only for normal and small customers.
    public var upgradeSignals: [InsightUpgradeSignal]

    /// Whether any upgrade signal is present.
    public var hasUpgradePotential: Bool { !upgradeSignals.isEmpty }

    /// Creates a result.
    public init(
        customerId: UUID,
        tier: ValueTier?,
        computedTier: ValueTier?,
        reason: InsightTierReason,
        profit: Int64,
        priorProfit: Int64,
        profitGrowth: Double?,
        rank: Int?,
        cumulativeProfitShare: Double?,
        upgradeSignals: [InsightUpgradeSignal]
    ) {
        self.customerId = customerId
        self.tier = tier
        self.computedTier = computedTier
        self.reason = reason
        self.profit = profit
        self.priorProfit = priorProfit
        self.profitGrowth = profitGrowth
        self.rank = rank
        self.cumulativeProfitShare = cumulativeProfitShare
        self.upgradeSignals = upgradeSignals
    }
}
