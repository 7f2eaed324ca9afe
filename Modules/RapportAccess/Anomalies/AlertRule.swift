/// The anomaly rule that raised an alert.
public enum AlertRule: String, Codable, Sendable, CaseIterable, Hashable {
    /// Today's distinct customers far above the person's own trailing-30-day median.
    case volumeSpike
    /// Many distinct customers in a day from someone without enough history for a baseline.
    case volumeWithoutBaseline
    /// Many distinct customers accessed outside working hours.
    case outOfHours
    /// Repeated requests refused by policy or quota.
    case repeatedRefusals
    /// Customers accessed by someone serving notice (any access is worth a look: most thefts
    /// happen in the last weeks).
    case noticeActivity
}
