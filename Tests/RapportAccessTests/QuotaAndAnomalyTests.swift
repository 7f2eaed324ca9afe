import Foundation
import RapportAccess
import RapportTesting
import Testing

@Suite("Quotas and the anomaly detector")
struct QuotaAndAnomalyTests {
    let now = AccessFixtures.now
    let clock = AccessSettings().clock
    let limits = QuotaLimits(distinctCustomersPerDay: 3, exportsPerDay: 1, sensitiveRevealsPerHour: 2)

    @Test("distinct customers per day: re-reads are free, the next day starts afresh")
    func distinctCustomers() {
        var ledger = QuotaLedger(limits: limits, clock: clock)
        let ids = (0..<5).map { _ in UUID() }
        #expect(ids.prefix(3).allSatisfy { ledger.record(.customerAccess($0), now: now).isAllowed })
        #expect(ledger.record(.customerAccess(ids[0]), now: now) == .allow(.withinQuota))
        #expect(ledger.record(.customerAccess(ids[3]), now: now) == .deny(.quotaExceeded))
        #expect(ledger.usage(now: now).distinctCustomersToday == 3)
        #expect(ledger.refusals == 1)
        // 10:00 local + 14 h = midnight local: a new day.
        let tomorrow = now.addingTimeInterval(14 * 3_600)
        #expect(ledger.record(.customerAccess(ids[4]), now: tomorrow).isAllowed)
    }

    @Test("the day boundary is local midnight in the organisation's offset")
    func dayBoundary() {
        var ledger = QuotaLedger(limits: limits, clock: clock)
        let localMidnight = now.addingTimeInterval(14 * 3_600)
        for _ in 0..<3 {
            #expect(ledger.record(.customerAccess(UUID()), now: localMidnight.addingTimeInterval(-1)).isAllowed)
        }
        #expect(!ledger.record(.customerAccess(UUID()), now: localMidnight.addingTimeInterval(-0.5)).isAllowed)
        #expect(ledger.record(.customerAccess(UUID()), now: localMidnight).isAllowed)
    }

    @Test("exports per day and reveals per sliding hour")
    func exportsAndReveals() {
        var ledger = QuotaLedger(limits: limits, clock: clock)
        #expect(ledger.record(.export, now: now).isAllowed)
        #expect(ledger.record(.export, now: now) == .deny(.quotaExceeded))
        #expect(ledger.record(.sensitiveReveal, now: now).isAllowed)
        #expect(ledger.record(.sensitiveReveal, now: now.addingTimeInterval(1_800)).isAllowed)
        #expect(ledger.check(.sensitiveReveal, now: now.addingTimeInterval(3_599)) == .deny(.quotaExceeded))
        #expect(ledger.record(.sensitiveReveal, now: now.addingTimeInterval(3_600)).isAllowed)
        #expect(ledger.usage(now: now.addingTimeInterval(3_600)).revealsInLastHour == 2)
        // Sales reps export nothing by default.
        var rep = QuotaLedger(limits: Role.salesRep.quotas, clock: clock)
        #expect(rep.record(.export, now: now) == .deny(.quotaExceeded))
    }

    func history(baseline: [Int], today: Int, outOfHours: Int = 0) -> ActivityHistory {
        let day = clock.day(of: now)
        var history = ActivityHistory(
            clock: clock,
            days: baseline.enumerated().map {
                DailyActivity(day: day - baseline.count + $0.offset, distinctCustomers: $0.element)
            })
        for _ in 0..<today { history.recordCustomerAccess(UUID(), now: now) }
        // 23:00 local is outside working hours.
        let late = now.addingTimeInterval(13 * 3_600)
        for _ in 0..<outOfHours { history.recordCustomerAccess(UUID(), now: late) }
        return history
    }

    @Test("volume spike against the person's own 30-day median: medium at 3×, high at 6×")
    func volumeSpike() {
        let detector = AnomalyDetector()
        let staff = UUID()
        let baseline = Array(repeating: 10, count: 20)
        #expect(
            detector.evaluate(history(baseline: baseline, today: 30), staffId: staff, status: .active, now: now).isEmpty
        )
        let medium = detector.evaluate(
            history(baseline: baseline, today: 31), staffId: staff, status: .active, now: now)
        #expect(medium.map(\.rule) == [.volumeSpike] && medium.first?.severity == .medium)
        #expect(medium.first?.baseline == 10 && medium.first?.threshold == 30)
        let high = detector.evaluate(history(baseline: baseline, today: 61), staffId: staff, status: .active, now: now)
        #expect(high.first?.severity == .high)
        // Small numbers never alert.
        #expect(
            detector.evaluate(
                history(baseline: Array(repeating: 1, count: 20), today: 15), staffId: staff, status: .active, now: now
            ).isEmpty)
        // Too little history: only the absolute ceiling applies.
        #expect(
            detector.evaluate(history(baseline: [1, 1], today: 90), staffId: staff, status: .active, now: now).isEmpty)
        #expect(
            detector.evaluate(history(baseline: [1, 1], today: 101), staffId: staff, status: .active, now: now).map(
                \.rule) == [.volumeWithoutBaseline])
    }

    @Test("out-of-hours access: medium at 20, high at 60")
    func outOfHours() {
        let detector = AnomalyDetector()
        let baseline = Array(repeating: 100, count: 20)
        #expect(
            detector.evaluate(
                history(baseline: baseline, today: 0, outOfHours: 19), staffId: UUID(), status: .active, now: now
            ).isEmpty)
        let medium = detector.evaluate(
            history(baseline: baseline, today: 0, outOfHours: 20), staffId: UUID(), status: .active,
            now: now.addingTimeInterval(13 * 3_600))
        #expect(medium.map(\.rule) == [.outOfHours] && medium.first?.severity == .medium)
        let high = detector.evaluate(
            history(baseline: baseline, today: 0, outOfHours: 60), staffId: UUID(), status: .active,
            now: now.addingTimeInterval(13 * 3_600))
        #expect(high.first?.severity == .high)
    }

    @Test("notice period lowers thresholds and raises severity")
    func noticeThresholds() {
        let detector = AnomalyDetector()
        let baseline = Array(repeating: 10, count: 20)
        let active = detector.evaluate(
            history(baseline: baseline, today: 16), staffId: UUID(), status: .active, now: now)
        let notice = detector.evaluate(
            history(baseline: baseline, today: 16), staffId: UUID(), status: .notice, now: now)
        #expect(active.isEmpty)
        #expect(notice.first?.severity == .high)
        #expect(
            detector.evaluate(history(baseline: baseline, today: 61), staffId: UUID(), status: .notice, now: now).first?
                .severity == .critical)
    }

    @Test("automatic suspension only on high alerts and only when the organisation chose it")
    func autoSuspend() {
        let high = AccessAlert(
            staffId: UUID(), rule: .volumeSpike, severity: .high, day: 1, observed: 100, threshold: 60)
        let medium = AccessAlert(
            staffId: UUID(), rule: .outOfHours, severity: .medium, day: 1, observed: 20, threshold: 20)
        #expect(!AnomalyDetector.response(to: [high], settings: AccessSettings()).suspend)
        #expect(
            AnomalyDetector.response(to: [high, medium], settings: AccessSettings(autoSuspendOnHighAlert: true)).suspend
        )
        #expect(!AnomalyDetector.response(to: [medium], settings: AccessSettings(autoSuspendOnHighAlert: true)).suspend)
        #expect(high.dedupeKey == "volumeSpike/\(high.staffId)/1/high")
        // A rule that escalates the same day raises again.
        var escalated = medium
        escalated.severity = .high
        #expect(escalated.dedupeKey != medium.dedupeKey)
    }

    @Test("someone on notice who reaches any customer raises noticeActivity (medium); active staff do not")
    func noticeActivity() {
        let detector = AnomalyDetector()
        let today = history(baseline: [], today: 3)
        #expect(detector.evaluate(today, staffId: UUID(), status: .active, now: now).isEmpty)
        let notice = detector.evaluate(today, staffId: UUID(), status: .notice, now: now)
        #expect(notice.map(\.rule) == [.noticeActivity])
        #expect(notice.first?.severity == .medium && notice.first?.observed == 3 && notice.first?.threshold == 1)
        #expect(detector.evaluate(history(baseline: [], today: 0), staffId: UUID(), status: .notice, now: now).isEmpty)
        let stricter = AnomalyDetector(thresholds: AnomalyThresholds(noticeActivityCustomers: 4))
        #expect(stricter.evaluate(today, staffId: UUID(), status: .notice, now: now).isEmpty)
    }

    @Test("thresholds stored before a rule existed still decode, with that rule's default")
    func thresholdsDecodeWithDefaults() throws {
        let stored = Data(#"{"spikeFactor": 4, "refusalsMedium": 5}"#.utf8)
        let thresholds = try JSONDecoder().decode(AnomalyThresholds.self, from: stored)
        #expect(thresholds.spikeFactor == 4 && thresholds.refusalsMedium == 5)
        #expect(thresholds.noticeActivityCustomers == 1 && thresholds.highSpikeFactor == 6)
        let roundTrip = try JSONDecoder().decode(
            AnomalyThresholds.self, from: try JSONEncoder().encode(AnomalyThresholds(noticeActivityCustomers: 7)))
        #expect(roundTrip == AnomalyThresholds(noticeActivityCustomers: 7))
    }

    @Test("repeated refusals raise a medium alert; the median is the middle value")
    func refusalsAndMedian() {
        var history = ActivityHistory(clock: clock)
        for _ in 0..<10 { history.recordRefusal(now: now) }
        #expect(
            AnomalyDetector().evaluate(history, staffId: UUID(), status: .active, now: now).map(\.rule) == [
                .repeatedRefusals
            ])
        #expect(AnomalyDetector.median([5, 1, 3]) == 3)
        #expect(AnomalyDetector.median([4, 1, 3, 2]) == 2.5)
    }

    @Test("the local clock: days, hours and weekdays in UTC+8")
    func localClock() {
        #expect(clock.hour(of: now) == 10)
        #expect(clock.weekday(of: now) == 2)  // Tuesday
        #expect(!clock.isOutsideWorkingHours(now))
        #expect(clock.isOutsideWorkingHours(now.addingTimeInterval(10 * 3_600)))  // 20:00
        #expect(clock.isOutsideWorkingHours(now.addingTimeInterval(5 * 86_400)))  // Sunday
    }
}
