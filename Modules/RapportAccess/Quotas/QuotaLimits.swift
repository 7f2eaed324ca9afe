/// Per-person limits against bulk copying. A person with several roles gets the largest limit
/// of each kind; a person serving notice gets ``AccessSettings/noticeQuotas`` instead.
public struct QuotaLimits: Hashable, Codable, Sendable {
    /// Distinct customers a person may open (first sight in the day counts; re-reads are free).
    public var distinctCustomersPerDay: Int
    /// Export operations per day.
    public var exportsPerDay: Int
    /// Reveals of masked sensitive values in any sliding hour.
    public var sensitiveRevealsPerHour: Int

    /// Creates quota limits.
    public init(distinctCustomersPerDay: Int, exportsPerDay: Int, sensitiveRevealsPerHour: Int) {
        self.distinctCustomersPerDay = distinctCustomersPerDay
        self.exportsPerDay = exportsPerDay
        self.sensitiveRevealsPerHour = sensitiveRevealsPerHour
    }

    /// No allowance at all.
    public static let zero = QuotaLimits(distinctCustomersPerDay: 0, exportsPerDay: 0, sensitiveRevealsPerHour: 0)

    /// The larger limit of each kind.
    public func union(_ other: QuotaLimits) -> QuotaLimits {
        QuotaLimits(
            distinctCustomersPerDay: max(distinctCustomersPerDay, other.distinctCustomersPerDay),
            exportsPerDay: max(exportsPerDay, other.exportsPerDay),
            sensitiveRevealsPerHour: max(sensitiveRevealsPerHour, other.sensitiveRevealsPerHour))
    }

    /// The smaller limit of each kind.
    public func intersection(_ other: QuotaLimits) -> QuotaLimits {
        QuotaLimits(
            distinctCustomersPerDay: min(distinctCustomersPerDay, other.distinctCustomersPerDay),
            exportsPerDay: min(exportsPerDay, other.exportsPerDay),
            sensitiveRevealsPerHour: min(sensitiveRevealsPerHour, other.sensitiveRevealsPerHour))
    }
}
