/// What one person did in one local day, as the anomaly detector sees it.
public struct DailyActivity: Hashable, Codable, Sendable {
    /// The local day number (see ``LocalClock/day(of:)``).
    public var day: Int
    /// Distinct customers accessed.
    public var distinctCustomers: Int
    /// Distinct customers accessed outside working hours.
    public var outOfHoursCustomers: Int
    /// Exports made.
    public var exports: Int
    /// Requests refused by policy or quota.
    public var refusals: Int

    /// Creates a day's activity.
    public init(day: Int, distinctCustomers: Int = 0, outOfHoursCustomers: Int = 0, exports: Int = 0, refusals: Int = 0)
    {
        self.day = day
        self.distinctCustomers = distinctCustomers
        self.outOfHoursCustomers = outOfHoursCustomers
        self.exports = exports
        self.refusals = refusals
    }
}
