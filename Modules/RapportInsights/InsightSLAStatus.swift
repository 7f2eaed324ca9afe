/// Whether a complaint met a service-level target.
public enum InsightSLAStatus: String, Sendable, Codable, Hashable, CaseIterable {
    /// Done by the deadline.
    case met
    /// Done late, or not done and the deadline has passed.
    case breached
    /// Not done yet and the deadline is still ahead.
    case pending
}
