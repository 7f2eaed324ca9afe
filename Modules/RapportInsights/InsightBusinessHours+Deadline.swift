import Foundation

extension InsightBusinessHours {
    /// The instant that lies `hours` business hours after `start`, in `calendar`'s time zone.
    ///
    /// Time outside working hours does not count. A deadline that falls exactly on closing time
    /// stays there rather than moving to the next opening; zero hours outside working hours gives
    /// the next opening. Returns `nil` when the week is not ``isValid`` or `hours` is negative,
    /// not finite or more than a century.
    ///
    /// ```swift
    /// // Friday 16:00 + 4 business hours (Mon–Fri 09–18) → Monday 11:00
    /// let due = InsightBusinessHours().deadline(addingBusinessHours: 4, to: fridayFour, calendar: calendar)
    /// ```
    public func deadline(addingBusinessHours hours: Double, to start: Date, calendar: Calendar) -> Date? {
        guard isValid, hours.isFinite, hours >= 0, hours <= 24 * 366 * 100 else { return nil }
        var remaining = hours * 3_600
        let dailyHours = Double(closingMinute - openingMinute) / 60
        let maxDays = Int((hours / dailyHours).rounded(.up)) * 7 / weekdays.count + 14
        var day = calendar.startOfDay(for: start)
        for _ in 0...maxDays {
            if weekdays.contains(calendar.component(.weekday, from: day)),
                let open = time(minute: openingMinute, on: day, calendar: calendar),
                let close = time(minute: closingMinute, on: day, calendar: calendar)
            {
                let from = max(open, start)
                if from < close {
                    let available = close.timeIntervalSince(from)
                    if remaining <= available {
                        return from.addingTimeInterval(remaining)
                    }
                    remaining -= available
                }
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = calendar.startOfDay(for: next)
        }
        return nil
    }

    /// Wall-clock `minute` after midnight on `day` (1440 = the next midnight).
    private func time(minute: Int, on day: Date, calendar: Calendar) -> Date? {
        if minute >= 24 * 60 {
            return calendar.date(byAdding: .day, value: 1, to: day).map { calendar.startOfDay(for: $0) }
        }
        return calendar.date(bySettingHour: minute / 60, minute: minute % 60, second: 0, of: day)
    }
}
