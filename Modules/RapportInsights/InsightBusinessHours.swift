/// The organisation's working week, used for SLAs measured in business hours.
///
/// A business hour is an hour of wall-clock time, in the time zone of the `Calendar` given to
/// ``InsightRules``, that falls on one of ``weekdays`` between ``openingMinute`` and
/// ``closingMinute``. The default is Monday to Friday, 09:00 to 18:00. Public holidays are not
/// modelled.
public struct InsightBusinessHours: Sendable, Codable, Hashable {
    /// Working days as `Calendar` weekday numbers: 1 = Sunday, 2 = Monday … 7 = Saturday.
    public var weekdays: Set<Int>
    /// Start of the working day in minutes after midnight (540 = 09:00).
    public var openingMinute: Int
    /// End of the working day in minutes after midnight (1080 = 18:00), exclusive.
    public var closingMinute: Int

    /// Creates a working week; the defaults are Monday–Friday 09:00–18:00.
    public init(weekdays: Set<Int> = [2, 3, 4, 5, 6], openingMinute: Int = 9 * 60, closingMinute: Int = 18 * 60) {
        self.weekdays = weekdays
        self.openingMinute = openingMinute
        self.closingMinute = closingMinute
    }

    /// Whether the week has at least one working minute (non-empty weekdays within 1...7 and
    /// `0 <= openingMinute < closingMinute <= 1440`).
    public var isValid: Bool {
        !weekdays.isEmpty && weekdays.allSatisfy { (1...7).contains($0) }
            && openingMinute >= 0 && openingMinute < closingMinute && closingMinute <= 24 * 60
    }
}
