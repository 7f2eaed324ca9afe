import Foundation

extension InsightRules {
    /// A half-open trailing window `(start, end]` of ``InsightThresholds/trailingMonths`` months.
    struct TrailingWindow {
        /// Exclusive lower bound.
        var start: Date
        /// Inclusive upper bound.
        var end: Date

        /// Whether `date` lies in `(start, end]`.
        func contains(_ date: Date) -> Bool {
            date > start && date <= end
        }
    }

    /// The trailing window ending at `asOf` (`windowsBack == 0`) or the one `windowsBack`
    /// windows before it.
    func trailingWindow(endingAt asOf: Date, windowsBack: Int = 0) -> TrailingWindow {
        let months = thresholds.trailingMonths
        return TrailingWindow(
            start: adding(months: -months * (windowsBack + 1), to: asOf),
            end: adding(months: -months * windowsBack, to: asOf))
    }

    /// `date` moved by whole calendar months (clamping to the month's last day).
    func adding(months: Int, to date: Date) -> Date {
        if months == 0 { return date }
        return calendar.date(byAdding: .month, value: months, to: date)
            ?? date.addingTimeInterval(Double(months) * 30.436875 * 86_400)
    }

    /// `date` moved by whole calendar days.
    func adding(days: Int, to date: Date) -> Date {
        calendar.date(byAdding: .day, value: days, to: date) ?? date.addingTimeInterval(Double(days) * 86_400)
    }

    /// Calendar days from the day of `from` to the day of `to` (negative when `to` is earlier).
    func calendarDays(from: Date, to: Date) -> Int {
        let start = calendar.startOfDay(for: from)
        let end = calendar.startOfDay(for: to)
        if let days = calendar.dateComponents([.day], from: start, to: end).day {
            return days
        }
        return Int((end.timeIntervalSince(start) / 86_400).rounded())
    }
}

extension DateInterval {
    /// Whether `date` lies in `[start, end)`; the rules treat periods as half-open.
    func containsHalfOpen(_ date: Date) -> Bool {
        date >= start && date < end
    }
}
