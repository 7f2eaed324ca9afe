/// The numbers behind the anomaly rules; defaults in `Docs/Security.md`.
public struct AnomalyThresholds: Hashable, Codable, Sendable {
    /// Medium when today's distinct customers exceed this multiple of the median.
    public var spikeFactor: Double
    /// High when they exceed this multiple.
    public var highSpikeFactor: Double
    /// Factor used instead of ``spikeFactor`` for staff on notice (whose alerts are also one
    /// severity higher).
    public var noticeSpikeFactor: Double
    /// Today's count must also exceed this, so small numbers never alert.
    public var minimumDistinctCustomers: Int
    /// The same floor for staff on notice.
    public var noticeMinimumDistinctCustomers: Int
    /// Active days needed in the trailing window before the baseline is trusted.
    public var minimumBaselineDays: Int
    /// Without a baseline: medium above this many distinct customers in a day.
    public var withoutBaselineCeiling: Int
    /// Medium when this many distinct customers are accessed out of hours in a day.
    public var outOfHoursMedium: Int
    /// High at this many.
    public var outOfHoursHigh: Int
    /// The medium threshold for staff on notice.
    public var noticeOutOfHoursMedium: Int
    /// Medium at this many refusals in a day.
    public var refusalsMedium: Int

    /// Creates thresholds; every parameter has the documented default.
    public init(
        spikeFactor: Double = 3, highSpikeFactor: Double = 6, noticeSpikeFactor: Double = 1.5,
        minimumDistinctCustomers: Int = 20, noticeMinimumDistinctCustomers: Int = 10, minimumBaselineDays: Int = 5,
        withoutBaselineCeiling: Int = 100, outOfHoursMedium: Int = 20, outOfHoursHigh: Int = 60,
        noticeOutOfHoursMedium: Int = 5, refusalsMedium: Int = 10
    ) {
        self.spikeFactor = spikeFactor
        self.highSpikeFactor = highSpikeFactor
        self.noticeSpikeFactor = noticeSpikeFactor
        self.minimumDistinctCustomers = minimumDistinctCustomers
        self.noticeMinimumDistinctCustomers = noticeMinimumDistinctCustomers
        self.minimumBaselineDays = minimumBaselineDays
        self.withoutBaselineCeiling = withoutBaselineCeiling
        self.outOfHoursMedium = outOfHoursMedium
        self.outOfHoursHigh = outOfHoursHigh
        self.noticeOutOfHoursMedium = noticeOutOfHoursMedium
        self.refusalsMedium = refusalsMedium
    }
}
