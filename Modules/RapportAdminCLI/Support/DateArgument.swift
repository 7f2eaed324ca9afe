import Foundation

/// An instant given on the command line: a day (`2026-03-01`, midnight UTC), a full ISO-8601
/// timestamp (`2026-03-01T08:30:00Z`), or a time ago (`24h`, `7d` — relative to now).
///
/// ```swift
/// let until = try DateArgument.parse("2026-03-31")
/// until.resolve(now: Date())
/// ```
public struct DateArgument: Sendable, Hashable {
    enum Form: Sendable, Hashable {
        case absolute(Date)
        case ago(GrantDuration)
    }

    let form: Form

    /// Parses an option's value (the `transform` of date `@Option`s).
    ///
    /// - Throws: ``AdminError/Code/usage`` with what to write instead.
    public static func parse(_ text: String) throws -> DateArgument {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = RapportWire.date(trimmed) {
            return DateArgument(form: .absolute(date))
        }
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        if trimmed.count == 10, let date = day.date(from: trimmed) {
            return DateArgument(form: .absolute(date))
        }
        if let duration = try? GrantDuration(parsing: trimmed) {
            return DateArgument(form: .ago(duration))
        }
        throw AdminError(
            .usage,
            "'\(text)' is not a date: write a day (2026-03-31), a UTC timestamp (2026-03-31T18:00:00Z) or a time ago (24h, 7d)"
        )
    }

    /// The instant, with relative forms counted back from `now`.
    public func resolve(now: Date) -> Date {
        switch form {
        case .absolute(let date): date
        case .ago(let duration): now.addingTimeInterval(-duration.timeInterval)
        }
    }

    /// Whether it was given as an absolute date.
    public var absoluteDate: Date? {
        if case .absolute(let date) = form { return date }
        return nil
    }
}
