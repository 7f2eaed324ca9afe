import Foundation
import RapportModels
import Testing
@testable import RapportInsights

@Suite("Insight business hours")
struct InsightBusinessHoursTests {
    typealias F = InsightFixture

    static func sh(_ month: Int, _ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        InsightFixture.date(2025, month, day, hour, minute, in: InsightFixture.shanghai)
    }

    @Test(
        "adding business hours, Mon–Fri 09:00–18:00 Asia/Shanghai (2025-06-27 is a Friday)",
        arguments: [
            // Friday 16:00 + 4 h: 2 h on Friday (16–18), weekend skipped, 2 h Monday → Mon 11:00.
            (sh(6, 27, 16), 4.0, sh(6, 30, 11)),
            // Saturday 10:00: the clock starts Monday 09:00 → 13:00.
            (sh(6, 28, 10), 4, sh(6, 30, 13)),
            // Before opening: Monday 07:00 → starts at 09:00 → 13:00.
            (sh(6, 30, 7), 4, sh(6, 30, 13)),
            // 1 h Monday (17–18) + 3 h Tuesday → Tuesday 12:00.
            (sh(6, 30, 17), 4, sh(7, 1, 12)),
            // Received exactly at closing → next morning.
            (sh(7, 1, 18), 4, sh(7, 2, 13)),
            // A deadline landing on closing time stays at 18:00.
            (sh(6, 30, 14), 4, sh(6, 30, 18)),
            // Zero hours: inside hours → unchanged; on a Saturday → next opening.
            (sh(6, 30, 10), 0, sh(6, 30, 10)),
            (sh(6, 28, 10), 0, sh(6, 30, 9)),
            // 2 h Friday + 9 h Monday + 2 h Tuesday = 13 h → Tuesday 11:00.
            (sh(6, 27, 16), 13, sh(7, 1, 11)),
            // A full week, 5 × 9 h, from Monday 09:00 → Friday 18:00.
            (sh(6, 30, 9), 45, sh(7, 4, 18)),
            // Half hours: Monday 17:30 + 1 h → 0.5 h Monday, 0.5 h Tuesday → 09:30.
            (sh(6, 30, 17, 30), 1, sh(7, 1, 9, 30)),
        ] as [(Date, Double, Date)])
    func deadlines(start: Date, hours: Double, expected: Date) {
        #expect(
            InsightBusinessHours().deadline(addingBusinessHours: hours, to: start, calendar: F.shanghai) == expected)
    }

    @Test("business hours are wall-clock hours across a daylight-saving change (Europe/Berlin)")
    func daylightSaving() throws {
        // Friday 2025-03-28 16:00 CET + 4 h → Monday 2025-03-31 11:00 CEST. Clocks went forward
        // on Sunday, so only 66 elapsed hours separate the two, not 67.
        let start = F.date(2025, 3, 28, 16, in: F.berlin)
        let due = try #require(InsightBusinessHours().deadline(addingBusinessHours: 4, to: start, calendar: F.berlin))
        #expect(due == F.date(2025, 3, 31, 11, in: F.berlin))
        #expect(due.timeIntervalSince(start) == 66 * 3_600)
    }

    @Test("other working weeks: Sunday–Thursday, and round the clock")
    func otherWeeks() {
        // Sunday–Thursday: Thursday 2025-06-26 16:00 + 4 h → 2 h Thursday, Friday and Saturday
        // off → Sunday 11:00.
        let sundayToThursday = InsightBusinessHours(weekdays: [1, 2, 3, 4, 5])
        #expect(
            sundayToThursday.deadline(addingBusinessHours: 4, to: Self.sh(6, 26, 16), calendar: F.shanghai)
                == Self.sh(6, 29, 11))
        // Every day 00:00–24:00: business hours are elapsed hours, even across midnight.
        let always = InsightBusinessHours(weekdays: Set(1...7), openingMinute: 0, closingMinute: 1_440)
        #expect(
            always.deadline(addingBusinessHours: 10, to: Self.sh(6, 27, 20), calendar: F.shanghai)
                == Self.sh(6, 28, 6))
    }

    @Test("unusable weeks and hours give nil instead of looping or crashing")
    func invalid() {
        let start = Self.sh(6, 30, 10)
        for hours in [
            InsightBusinessHours(weekdays: []), InsightBusinessHours(openingMinute: 600, closingMinute: 600),
            InsightBusinessHours(weekdays: [0, 8]), InsightBusinessHours(closingMinute: 1_441),
        ] {
            #expect(!hours.isValid)
            #expect(hours.deadline(addingBusinessHours: 4, to: start, calendar: F.shanghai) == nil)
        }
        for amount in [-1, Double.nan, Double.infinity, 1e12] {
            #expect(
                InsightBusinessHours().deadline(addingBusinessHours: amount, to: start, calendar: F.shanghai) == nil)
        }
    }
}
