import Foundation
import Logging
import Synchronization
import RapportAccess

/// Feeds every access decision to the anomaly rules, in the request that made it.
///
/// Each event — customers reached (a pull page or push answer delivering their records, a
/// reveal), an export, a refused request — is added to the person's day in ``ActivityStorage``
/// (one unit of work; the 30-day baseline lives in the database, so restarts and several
/// instances share it), then `AnomalyDetector` evaluates the person's history with the
/// organisation's thresholds and status (notice period), and new alerts go to the ``AlertBook``
/// at once. When `AccessSettings.autoSuspendOnHighAlert` is on, a new high or critical alert
/// suspends the person: every token is revoked, so their next request is told to wipe.
///
/// The server calls it from one place per kind of event: ``ActivityMiddleware`` for refused
/// requests, the sync service for what a pull page or push answer delivers and for mutations
/// refused as `forbidden`.
///
/// ```swift
/// let alerts = try await services.activity.customersReached([customer], by: ana.id)
/// ```
public struct ActivityMonitor: Sendable {
    /// Where daily activity is kept.
    public let storage: any ServerStorage
    /// The current policy (thresholds, working hours, status, automatic suspension).
    public let policies: PolicyService
    /// Where alerts go.
    public let alerts: AlertBook
    /// Suspends people on a high alert when configured.
    public let identity: IdentityService
    /// The clock (the server's sync clock, so tests can drive days and hours).
    public let now: @Sendable () -> Date
    let hooks: AdminHooks
    let logger: Logger
    /// The customers this process has already recorded for each person today (and those
    /// recorded out of hours): a delivery that adds nothing new changes no count and crosses
    /// no threshold, so it is not written again. Only what this process wrote is remembered,
    /// so several instances never skip a count the database lacks.
    private let counted = CountedToday()

    /// Creates the monitor.
    public init(
        storage: any ServerStorage, policies: PolicyService, alerts: AlertBook, identity: IdentityService,
        hooks: AdminHooks, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.policies = policies
        self.alerts = alerts
        self.identity = identity
        self.hooks = hooks
        self.logger = logger
        self.now = now
    }

    /// The audit log alerts, refusals and deliveries are written to.
    public var audit: AuditService { alerts.audit }

    // MARK: - Events

    /// Records that records of `customers` reached `staffId` (each customer counts once a day)
    /// and evaluates the rules.
    ///
    /// - Parameter now: when it happened (default: the monitor's clock); a past date adds to
    ///   that day, e.g. to import a baseline.
    /// - Returns: the alerts this event raised (none when nothing new crossed a threshold).
    @discardableResult
    public func customersReached(_ customers: some Collection<UUID>, by staffId: UUID, now: Date? = nil) async throws
        -> [StoredAlert]
    {
        try await record(staffId: staffId, now: now ?? self.now()) { delta in delta.customers = Array(customers) }
    }

    /// Records `count` refused requests (or mutations) of `staffId` and evaluates the rules.
    @discardableResult
    public func refused(_ staffId: UUID, count: Int = 1, now: Date? = nil) async throws -> [StoredAlert] {
        guard count > 0 else { return [] }
        return try await record(staffId: staffId, now: now ?? self.now()) { delta in delta.refusals = count }
    }

    /// Records an export by `staffId` of records of `customers` and evaluates the rules.
    @discardableResult
    public func exported(_ staffId: UUID, customers: some Collection<UUID>, now: Date? = nil) async throws
        -> [StoredAlert]
    {
        try await record(staffId: staffId, now: now ?? self.now()) { delta in
            delta.exports = 1
            delta.customers = Array(customers)
        }
    }

    /// The person's activity as the detector sees it at `now`.
    public func history(of staffId: UUID, now: Date? = nil) async throws -> ActivityHistory {
        let clock = try await policies.current().settings.clock
        let days = try await storage.activityDays(staffId: staffId, through: clock.day(of: now ?? self.now()))
        return ActivityHistory(clock: clock, days: days)
    }

    // MARK: - Evaluation

    private func record(staffId: UUID, now: Date, _ fill: (inout ActivityDelta) -> Void) async throws -> [StoredAlert] {
        let policy = try await policies.current()
        let clock = policy.settings.clock
        var delta = ActivityDelta(outOfHours: clock.isOutsideWorkingHours(now))
        fill(&delta)
        let day = clock.day(of: now)
        // Someone on notice is evaluated on every delivery (the notice rules look at activity
        // itself, and the notice may have begun since the customers were first counted).
        if delta.exports == 0, delta.refusals == 0, policy.staff(staffId)?.status == .active,
            counted.contains(delta.customers, staffId: staffId, day: day, outOfHours: delta.outOfHours)
        {
            return []
        }
        let days = try await storage.recordActivity(delta, staffId: staffId, day: day)
        // Remembered once stored for good: a unit that rolls back must not leave the skip behind.
        let counted = self.counted
        let recorded = delta
        await storage.afterCommit {
            counted.insert(recorded.customers, staffId: staffId, day: day, outOfHours: recorded.outOfHours)
        }
        guard let staff = policy.staff(staffId) else { return [] }
        let found = AnomalyDetector(thresholds: policy.settings.anomaly).evaluate(
            ActivityHistory(clock: clock, days: days), staffId: staffId, status: staff.status, now: now)
        guard !found.isEmpty else { return [] }
        let raised = try await alerts.raise(found, now: now)
        for alert in raised {
            logger.warning(
                "anomaly alert raised",
                metadata: [
                    "staff": "\(staffId)", "rule": "\(alert.alert.rule.rawValue)",
                    "severity": "\(alert.alert.severity)",
                ])
        }
        let response = AnomalyDetector.response(to: raised.map(\.alert), settings: policy.settings)
        if response.suspend, staff.status.mayAccess {
            try await suspend(staff, because: raised)
        }
        return raised
    }

    /// Suspends the person (their next request is told to wipe) and audits why.
    private func suspend(_ staff: Staff, because alerts: [StoredAlert]) async throws {
        try await identity.setStatus(staffId: staff.id, to: .suspended)
        let worst = alerts.max { $0.alert.severity < $1.alert.severity }
        try await audit.record(
            .statusChanged, actor: nil, records: [staff.id] + alerts.map(\.id),
            reason:
                "\(staff.status.rawValue)→suspended: automatic on \(worst?.alert.severity.description ?? "high") alert \(worst?.alert.rule.rawValue ?? "")"
        )
        await hooks.organisationChanged()
        logger.warning("suspended automatically on a high anomaly alert", metadata: ["staff": "\(staff.id)"])
    }
}

/// Per person, the local day and the customers recorded on it by this process.
final class CountedToday: Sendable {
    private struct Day {
        var day: Int
        var customers: Set<UUID> = []
        var outOfHours: Set<UUID> = []
    }

    private let days = Mutex<[UUID: Day]>([:])

    /// Whether every one of `customers` was recorded for `staffId` on `day` (out of hours too,
    /// when `outOfHours`).
    func contains(_ customers: [UUID], staffId: UUID, day: Int, outOfHours: Bool) -> Bool {
        days.withLock { days in
            guard let known = days[staffId], known.day == day else { return false }
            return customers.allSatisfy { known.customers.contains($0) && (!outOfHours || known.outOfHours.contains($0)) }
        }
    }

    /// Notes that `customers` were recorded for `staffId` on `day`.
    func insert(_ customers: [UUID], staffId: UUID, day: Int, outOfHours: Bool) {
        days.withLock { days in
            if days[staffId]?.day != day { days[staffId] = Day(day: day) }
            days[staffId]?.customers.formUnion(customers)
            if outOfHours { days[staffId]?.outOfHours.formUnion(customers) }
        }
    }
}
