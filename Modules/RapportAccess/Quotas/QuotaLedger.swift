import Foundation

/// One person's quota state: a pure state machine that takes events with an explicit `now`
/// and answers allow or deny. The server keeps one per member of staff and persists it (it is
/// `Codable`).
///
/// - Distinct customers per *local day* (first sight counts, re-reads are free).
/// - Exports per local day.
/// - Sensitive reveals in any *sliding hour*.
///
/// A denied event is not counted. Limits come from ``AccessPolicy/quotaLimits(for:)`` and may be
/// replaced at any time (e.g. when the person starts a notice period).
///
/// ```swift
/// var ledger = QuotaLedger(limits: policy.quotaLimits(for: rep), clock: policy.settings.clock)
/// let decision = ledger.record(.customerAccess(customer.id), now: now)
/// ```
public struct QuotaLedger: Hashable, Codable, Sendable {
    /// The limits in force.
    public var limits: QuotaLimits
    /// The organisation's calendar.
    public var clock: LocalClock
    private var day: Int?
    private var customersToday: Set<UUID> = []
    private var exportsToday = 0
    private var reveals: [Date] = []
    /// How many events were refused since the ledger was created (feeds the anomaly detector).
    public private(set) var refusals = 0

    /// Creates an empty ledger.
    public init(limits: QuotaLimits, clock: LocalClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Records `event` at `now` if it fits in the quota; a refused event changes nothing except
    /// ``refusals``.
    public mutating func record(_ event: QuotaEvent, now: Date) -> Decision {
        roll(to: now)
        switch event {
        case .customerAccess(let id):
            if customersToday.contains(id) { return .allow(.withinQuota) }
            guard customersToday.count < limits.distinctCustomersPerDay else { return refuse() }
            customersToday.insert(id)
        case .export:
            guard exportsToday < limits.exportsPerDay else { return refuse() }
            exportsToday += 1
        case .sensitiveReveal:
            guard reveals.count < limits.sensitiveRevealsPerHour else { return refuse() }
            reveals.append(now)
        }
        return .allow(.withinQuota)
    }

    /// What `event` would be answered at `now`, without recording it.
    public func check(_ event: QuotaEvent, now: Date) -> Decision {
        var copy = self
        return copy.record(event, now: now)
    }

    /// Usage in the windows containing `now`.
    public func usage(now: Date) -> QuotaUsage {
        var copy = self
        copy.roll(to: now)
        return QuotaUsage(
            distinctCustomersToday: copy.customersToday.count, exportsToday: copy.exportsToday,
            revealsInLastHour: copy.reveals.count)
    }

    private mutating func refuse() -> Decision {
        refusals += 1
        return .deny(.quotaExceeded)
    }

    /// Starts a new day when `now` is in a later local day, and drops reveals older than an hour.
    private mutating func roll(to now: Date) {
        let today = clock.day(of: now)
        if day != today, (day ?? Int.min) < today {
            day = today
            customersToday.removeAll(keepingCapacity: true)
            exportsToday = 0
        }
        let cutoff = now.addingTimeInterval(-3_600)
        if let first = reveals.first, first <= cutoff {
            reveals.removeAll { $0 <= cutoff }
        }
    }
}
