/// How urgent an ``InsightWarning`` is. `critical` sorts after `warning`.
public enum InsightSeverity: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    /// Needs attention soon.
    case warning
    /// Needs attention now.
    case critical

    /// `warning < critical`.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs == .warning && rhs == .critical
    }
}
