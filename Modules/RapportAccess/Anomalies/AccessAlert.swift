import Foundation

/// An alert about one person's access pattern.
public struct AccessAlert: Hashable, Codable, Sendable {
    /// Who.
    public var staffId: UUID
    /// Which rule.
    public var rule: AlertRule
    /// How serious.
    public var severity: AlertSeverity
    /// The local day the alert is about.
    public var day: Int
    /// The observed number (customers, refusals).
    public var observed: Int
    /// The threshold it crossed.
    public var threshold: Int
    /// The person's trailing median, where the rule uses one.
    public var baseline: Double?

    /// Creates an alert.
    public init(
        staffId: UUID, rule: AlertRule, severity: AlertSeverity, day: Int, observed: Int, threshold: Int,
        baseline: Double? = nil
    ) {
        self.staffId = staffId
        self.rule = rule
        self.severity = severity
        self.day = day
        self.observed = observed
        self.threshold = threshold
        self.baseline = baseline
    }

    /// Identifies the alert for deduplication: one alert per person, rule, day and severity, so
    /// a rule that escalates during the day (a medium spike becoming high) raises again.
    public var dedupeKey: String { "\(rule.rawValue)/\(staffId)/\(day)/\(severity)" }

    /// A sentence for administrators.
    public var message: String {
        switch rule {
        case .volumeSpike:
            "\(observed) distinct customers today, above \(threshold) (median \(baseline.map { String(format: "%.1f", $0) } ?? "?"))"
        case .volumeWithoutBaseline:
            "\(observed) distinct customers today without enough history for a baseline (ceiling \(threshold))"
        case .outOfHours:
            "\(observed) distinct customers outside working hours today (threshold \(threshold))"
        case .repeatedRefusals:
            "\(observed) refused requests today (threshold \(threshold))"
        case .noticeActivity:
            "\(observed) distinct customers today while serving notice (threshold \(threshold))"
        }
    }
}
