import Foundation

/// Days, hours and weekdays in the organisation's fixed UTC offset, computed from an explicit
/// `now` (never the wall clock) so quota and anomaly logic is deterministic.
public struct LocalClock: Hashable, Codable, Sendable {
    /// Offset from UTC in seconds.
    public var utcOffsetSeconds: Int
    /// First working hour (inclusive).
    public var workdayStartHour: Int
    /// Last working hour (exclusive).
    public var workdayEndHour: Int
    /// Working weekdays, 1 = Monday … 7 = Sunday.
    public var workingWeekdays: Set<Int>

    /// Creates a clock.
    public init(utcOffsetSeconds: Int, workdayStartHour: Int, workdayEndHour: Int, workingWeekdays: Set<Int>) {
        self.utcOffsetSeconds = utcOffsetSeconds
        self.workdayStartHour = workdayStartHour
        self.workdayEndHour = workdayEndHour
        self.workingWeekdays = workingWeekdays
    }

    private func localSeconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970).rounded(.down)) + Int64(utcOffsetSeconds)
    }

    /// The local day number (days since 1970-01-01 local time).
    public func day(of date: Date) -> Int {
        let seconds = localSeconds(date)
        return Int(seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
    }

    /// The local hour, 0–23.
    public func hour(of date: Date) -> Int {
        let seconds = localSeconds(date) - Int64(day(of: date)) * 86_400
        return Int(seconds / 3_600)
    }

    /// The local weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday).
    public func weekday(of date: Date) -> Int {
        let d = day(of: date)
        return ((d + 3) % 7 + 7) % 7 + 1
    }

    /// Whether `date` falls outside working hours or on a non-working day.
    public func isOutsideWorkingHours(_ date: Date) -> Bool {
        let hour = hour(of: date)
        return !workingWeekdays.contains(weekday(of: date)) || hour < workdayStartHour || hour >= workdayEndHour
    }
}
