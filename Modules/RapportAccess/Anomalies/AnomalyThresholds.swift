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
    /// A `noticeActivity` alert when someone serving notice accesses this many distinct
    /// customers in a day.
    public var noticeActivityCustomers: Int

    /// Creates thresholds; every parameter has the documented default.
    public init(
        spikeFactor: Double = 3, highSpikeFactor: Double = 6, noticeSpikeFactor: Double = 1.5,
        minimumDistinctCustomers: Int = 20, noticeMinimumDistinctCustomers: Int = 10, minimumBaselineDays: Int = 5,
        withoutBaselineCeiling: Int = 100, outOfHoursMedium: Int = 20, outOfHoursHigh: Int = 60,
        noticeOutOfHoursMedium: Int = 5, refusalsMedium: Int = 10, noticeActivityCustomers: Int = 1
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
        self.noticeActivityCustomers = noticeActivityCustomers
    }

    private enum CodingKeys: String, CodingKey {
        case spikeFactor, highSpikeFactor, noticeSpikeFactor, minimumDistinctCustomers, noticeMinimumDistinctCustomers
        case minimumBaselineDays, withoutBaselineCeiling, outOfHoursMedium, outOfHoursHigh, noticeOutOfHoursMedium
        case refusalsMedium, noticeActivityCustomers
    }

    /// Decodes thresholds; a missing key keeps its default, so settings stored before a
    /// threshold existed still load.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AnomalyThresholds()
        self.init(
            spikeFactor: try c.decodeIfPresent(Double.self, forKey: .spikeFactor) ?? d.spikeFactor,
            highSpikeFactor: try c.decodeIfPresent(Double.self, forKey: .highSpikeFactor) ?? d.highSpikeFactor,
            noticeSpikeFactor: try c.decodeIfPresent(Double.self, forKey: .noticeSpikeFactor) ?? d.noticeSpikeFactor,
            minimumDistinctCustomers: try c.decodeIfPresent(Int.self, forKey: .minimumDistinctCustomers)
                ?? d.minimumDistinctCustomers,
            noticeMinimumDistinctCustomers: try c.decodeIfPresent(Int.self, forKey: .noticeMinimumDistinctCustomers)
                ?? d.noticeMinimumDistinctCustomers,
            minimumBaselineDays: try c.decodeIfPresent(Int.self, forKey: .minimumBaselineDays) ?? d.minimumBaselineDays,
            withoutBaselineCeiling: try c.decodeIfPresent(Int.self, forKey: .withoutBaselineCeiling)
                ?? d.withoutBaselineCeiling,
            outOfHoursMedium: try c.decodeIfPresent(Int.self, forKey: .outOfHoursMedium) ?? d.outOfHoursMedium,
            outOfHoursHigh: try c.decodeIfPresent(Int.self, forKey: .outOfHoursHigh) ?? d.outOfHoursHigh,
            noticeOutOfHoursMedium: try c.decodeIfPresent(Int.self, forKey: .noticeOutOfHoursMedium)
                ?? d.noticeOutOfHoursMedium,
            refusalsMedium: try c.decodeIfPresent(Int.self, forKey: .refusalsMedium) ?? d.refusalsMedium,
            noticeActivityCustomers: try c.decodeIfPresent(Int.self, forKey: .noticeActivityCustomers)
                ?? d.noticeActivityCustomers)
    }
}
