import Foundation

/// A length of time given on the command line as a number and a unit — `30m`, `12h`, `7d`,
/// `2w` — or a sum of them (`1d12h`). Used by `grant add --for`, `staff offboard --days` and
/// the audit filters (`--since 24h`).
///
/// ```swift
/// let week = try GrantDuration(parsing: "7d")   // week.seconds == 604_800
/// ```
public struct GrantDuration: Sendable, Hashable, CustomStringConvertible {
    /// The length in seconds.
    public let seconds: Int

    /// The units understood, in seconds.
    static let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]

    /// Parses `text`.
    ///
    /// - Throws: ``AdminError/Code/usage`` naming the problem, e.g. a missing unit or a zero
    ///   length.
    public init(parsing text: String) throws(AdminError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        let hint = "write a whole number followed by a unit, e.g. 30m, 12h, 7d or 2w"
        guard !trimmed.isEmpty else {
            throw AdminError(.usage, "the duration is empty; \(hint)")
        }
        var total = 0
        var digits = ""
        for character in trimmed {
            if character.isASCII, character.isNumber {
                digits.append(character)
            } else if let unit = Self.units[character] {
                guard !digits.isEmpty else {
                    throw AdminError(
                        .usage, "'\(text)' is not a duration: the unit '\(character)' has no number before it; \(hint)")
                }
                guard let value = Int(digits) else {
                    throw AdminError(.usage, "'\(text)' is too long a duration; \(hint)")
                }
                let (product, overflow) = value.multipliedReportingOverflow(by: unit)
                let (sum, overflow2) = total.addingReportingOverflow(product)
                guard !overflow, !overflow2 else {
                    throw AdminError(.usage, "'\(text)' is too long a duration; \(hint)")
                }
                total = sum
                digits = ""
            } else {
                throw AdminError(
                    .usage,
                    "'\(text)' is not a duration: '\(character)' is not a unit (s, m, h, d or w); \(hint)")
            }
        }
        guard digits.isEmpty else {
            throw AdminError(.usage, "'\(text)' is not a duration: the number \(digits) has no unit; \(hint)")
        }
        guard total > 0 else {
            throw AdminError(.usage, "'\(text)' is not a duration: it must be longer than zero; \(hint)")
        }
        seconds = total
    }

    /// Creates a duration of `seconds`.
    public init(seconds: Int) {
        self.seconds = seconds
    }

    /// Parses an option's value: the `transform` of `@Option`s that take a duration, so a
    /// malformed value is a usage error (exit 2) carrying the precise message.
    public static func parse(_ text: String) throws -> GrantDuration {
        try GrantDuration(parsing: text)
    }

    /// The spelling the API's `for` fields take: whole days, hours or minutes (`7d`, `36h`,
    /// `90m`), or `nil` if the length is not a whole number of minutes.
    public var apiText: String? {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return nil
    }

    /// The length as a `TimeInterval`.
    public var timeInterval: TimeInterval { TimeInterval(seconds) }

    /// The shortest spelling, e.g. `7d`, `1d12h`, `90s`.
    public var description: String {
        var rest = seconds
        var text = ""
        for (unit, size) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}
