import Foundation

/// Compares each person's activity today with their own recent history and raises alerts.
///
/// Rules (thresholds in ``AnomalyThresholds``):
/// - **volumeSpike**: today's distinct customers > max(floor, k × trailing-30-day median of the
///   person's active days) — medium at k = 3, high at k = 6; needs ≥ 5 active days of history.
/// - **volumeWithoutBaseline**: with less history, more than 100 distinct customers — medium.
/// - **outOfHours**: distinct customers accessed outside working hours — medium at 20, high at 60.
/// - **repeatedRefusals**: ≥ 10 refused requests in a day — medium.
/// - **noticeActivity**: someone serving notice accessed ≥ 1 distinct customer today — low
///   (medium after the notice raise).
///
/// Staff on notice: spike factor 1.5, floor 10, out-of-hours medium at 5, and every alert is one
/// severity higher (a high becomes critical).
public struct AnomalyDetector: Sendable {
    /// The thresholds.
    public var thresholds: AnomalyThresholds

    /// Creates a detector.
    public init(thresholds: AnomalyThresholds = AnomalyThresholds()) {
        self.thresholds = thresholds
    }

    /// The alerts for `staffId`'s activity on the day containing `now`.
    public func evaluate(_ history: ActivityHistory, staffId: UUID, status: StaffStatus, now: Date) -> [AccessAlert] {
        let today = history.activity(on: now)
        let notice = status == .notice
        let t = thresholds
        var alerts: [AccessAlert] = []
        func add(_ rule: AlertRule, _ severity: AlertSeverity, observed: Int, threshold: Int, baseline: Double? = nil) {
            alerts.append(
                AccessAlert(
                    staffId: staffId, rule: rule, severity: notice ? severity.raised : severity, day: today.day,
                    observed: observed, threshold: threshold, baseline: baseline))
        }

        let floor = notice ? t.noticeMinimumDistinctCustomers : t.minimumDistinctCustomers
        let baseline = history.baseline(before: now)
        if baseline.count >= t.minimumBaselineDays {
            let median = Self.median(baseline)
            let mediumFactor = notice ? t.noticeSpikeFactor : t.spikeFactor
            let medium = max(floor, Int((mediumFactor * median).rounded(.down)))
            let high = max(floor, Int((t.highSpikeFactor * median).rounded(.down)))
            if today.distinctCustomers > high {
                add(.volumeSpike, .high, observed: today.distinctCustomers, threshold: high, baseline: median)
            } else if today.distinctCustomers > medium {
                add(.volumeSpike, .medium, observed: today.distinctCustomers, threshold: medium, baseline: median)
            }
        } else if today.distinctCustomers > t.withoutBaselineCeiling {
            add(.volumeWithoutBaseline, .medium, observed: today.distinctCustomers, threshold: t.withoutBaselineCeiling)
        }

        let outMedium = notice ? t.noticeOutOfHoursMedium : t.outOfHoursMedium
        if today.outOfHoursCustomers >= t.outOfHoursHigh {
            add(.outOfHours, .high, observed: today.outOfHoursCustomers, threshold: t.outOfHoursHigh)
        } else if today.outOfHoursCustomers >= outMedium {
            add(.outOfHours, .medium, observed: today.outOfHoursCustomers, threshold: outMedium)
        }

        if today.refusals >= t.refusalsMedium {
            add(.repeatedRefusals, .medium, observed: today.refusals, threshold: t.refusalsMedium)
        }

        if notice, today.distinctCustomers >= t.noticeActivityCustomers {
            add(.noticeActivity, .low, observed: today.distinctCustomers, threshold: t.noticeActivityCustomers)
        }
        return alerts
    }

    /// What to do about `alerts` under `settings`: suspend on a high or critical alert when the
    /// organisation chose automatic suspension.
    public static func response(to alerts: [AccessAlert], settings: AccessSettings) -> AlertResponse {
        let highest = alerts.map(\.severity).max()
        return AlertResponse(
            suspend: settings.autoSuspendOnHighAlert && (highest ?? .low) >= .high, highestSeverity: highest)
    }

    /// The median of `values` (mean of the middle two for an even count); 0 for none.
    public static func median(_ values: [Int]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1
            ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
    }
}
