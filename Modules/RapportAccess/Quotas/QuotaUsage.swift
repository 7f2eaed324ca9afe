/// How much of each quota a person has used in the current window.
public struct QuotaUsage: Hashable, Codable, Sendable {
    /// Distinct customers seen in the current local day.
    public var distinctCustomersToday: Int
    /// Exports in the current local day.
    public var exportsToday: Int
    /// Reveals in the last hour.
    public var revealsInLastHour: Int

    /// Creates a usage report.
    public init(distinctCustomersToday: Int, exportsToday: Int, revealsInLastHour: Int) {
        self.distinctCustomersToday = distinctCustomersToday
        self.exportsToday = exportsToday
        self.revealsInLastHour = revealsInLastHour
    }
}
