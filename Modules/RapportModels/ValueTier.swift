/// A customer's value tier in the value pyramid (see `Docs/Insights.md`).
///
/// The server computes it from trailing-twelve-month profit; an administrator may override it.
public enum ValueTier: String, Codable, Sendable, CaseIterable, Hashable {
    /// The smallest set of customers that together make about 80% of profit.
    case key
    /// The customers that take cumulative profit from 80% to 95%.
    case normal
    /// The remaining profitable customers.
    case small
    /// Customers with no profit, or with receivables long overdue.
    case toDrop
}
