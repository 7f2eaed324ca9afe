/// How serious an access alert is. Ordered from least to most serious.
///
/// | severity | meaning | default response |
/// | --- | --- | --- |
/// | `low` | worth a look | listed in `rapport-admin alerts` |
/// | `medium` | unusual for this person | listed and notified |
/// | `high` | looks like bulk copying | notified; suspends when ``AccessSettings/autoSuspendOnHighAlert`` |
/// | `critical` | bulk copying by someone on notice | as `high` |
public enum AlertSeverity: Int, Codable, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// Worth a look.
    case low
    /// Unusual for this person.
    case medium
    /// Looks like bulk copying.
    case high
    /// Bulk-copying signs from someone serving notice.
    case critical

    /// Orders by seriousness.
    public static func < (lhs: AlertSeverity, rhs: AlertSeverity) -> Bool { lhs.rawValue < rhs.rawValue }

    /// One level more serious (critical stays critical).
    public var raised: AlertSeverity { AlertSeverity(rawValue: min(rawValue + 1, AlertSeverity.critical.rawValue))! }

    /// `low`, `medium`, `high` or `critical`.
    public var description: String {
        switch self {
        case .low: "low"
        case .medium: "medium"
        case .high: "high"
        case .critical: "critical"
        }
    }
}
