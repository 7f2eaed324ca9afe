import Foundation
import RapportModels

/// The value pyramid for a set of customers at one moment.
public struct InsightValuePyramid: Sendable, Codable, Hashable {
    /// The moment it was computed for.
    public var asOf: Date
    /// Sum of trailing-window profit over the ranked customers (all positive).
    public var totalRankedProfit: Int64
    /// One result per distinct customer, ordered by customer id.
    public var results: [InsightTierResult]
    /// `keyWithoutAccountManager` warnings, ordered by dedupe key.
    public var warnings: [InsightWarning]

    /// Creates a pyramid.
    public init(asOf: Date, totalRankedProfit: Int64, results: [InsightTierResult], warnings: [InsightWarning]) {
        self.asOf = asOf
        self.totalRankedProfit = totalRankedProfit
        self.results = results
        self.warnings = warnings
    }

    /// The result for one customer, if they were evaluated.
    public func result(for customerId: UUID) -> InsightTierResult? {
        results.first { $0.customerId == customerId }
    }

    /// The customers whose tier in force is `tier`, ordered by customer id.
    public func customers(in tier: ValueTier) -> [UUID] {
        results.filter { $0.tier == tier }.map(\.customerId)
    }

    /// The customers left unranked because they are too young and have no override.
    public var unranked: [UUID] {
        results.filter { $0.tier == nil }.map(\.customerId)
    }
}
