import CoreMetrics
import Foundation
import Logging
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer
import Synchronization

/// The server's sync: RapportSyncServer's `SyncServer` over ``SyncScopeStorage`` with an
/// ``AccessScopeProvider``, plus what belongs to the server rather than the protocol core:
///
/// - **redaction** of conflict reports and rejection messages: a value the caller may not read
///   in clear is masked (or replaced by the masked marker) there too;
/// - **quotas**: the distinct customers a pull page delivers count against the person's daily
///   quota in the database (``QuotaService``); a page that would exceed it is refused with
///   `rateLimited`;
/// - **audit**: sensitive values sent in clear are recorded (`sensitiveRead`) before sending;
/// - **metrics** and the **live channel** (``ChangeFeed``).
///
/// ```swift
/// let response = try await services.sync.push(request, principal: principal)
/// ```
public final class SyncService: Sendable {
    /// Records, change log, snapshots, customer facts.
    public let storage: any SyncScopeStorage
    /// The protocol core.
    public let server: SyncServer
    /// The access bridge the core asks.
    public let scope: AccessScopeProvider
    /// The current access policy.
    public let policies: PolicyService
    /// Per-person quota counts (in the database).
    public let quotas: QuotaService
    /// Where the storage's units of work run (pushes are one write unit).
    let serverStorage: any ServerStorage
    /// The live channel of this process.
    public let feed: ChangeFeed
    /// How the live channels of every instance learn of a change (in-process by default).
    public let notifier: any ChangeNotifier
    /// How often the live channel sends a heartbeat comment.
    public let heartbeatInterval: Duration
    /// How often history expiry runs (opportunistically, on a pull).
    public let historyExpiryInterval: Duration = .seconds(3_600)
    private let lastExpiry = Mutex<ContinuousClock.Instant?>(nil)
    let metrics: ServerMetrics
    let audit: AuditService?
    let logger: Logger
    let now: @Sendable () -> Date
    /// Detection (SyncService+Activity.swift): deliveries and forbidden mutations feed the
    /// anomaly rules; `nil` where no monitor runs (tools, some tests).
    let activity: ActivityMonitor?

    /// Creates the service.
    ///
    /// - Parameters:
    ///   - audit: where sensitive reads are recorded; `nil` logs them instead (tests, tools).
    public init(
        storage: any SyncScopeStorage, serverStorage: any ServerStorage, policies: PolicyService,
        configuration: ServerConfiguration, metrics: ServerMetrics, audit: AuditService?, logger: Logger,
        clock: any SyncWallClock = SystemWallClock(), heartbeatInterval: Duration = .seconds(15),
        activity: ActivityMonitor? = nil, notifier: (any ChangeNotifier)? = nil
    ) {
        let now: @Sendable () -> Date = { Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000) }
        self.storage = storage
        self.serverStorage = serverStorage
        self.policies = policies
        self.quotas = QuotaService(storage: serverStorage)
        self.scope = AccessScopeProvider(
            storage: storage, serverStorage: serverStorage, policies: policies, quotas: quotas, audit: audit,
            activity: activity, now: now)
        self.server = SyncServer(
            storage: serverStorage, scope: scope, clock: clock,
            configuration: SyncServerConfiguration(limits: configuration.limits, clockNode: configuration.nodeId))
        let feed = ChangeFeed()
        self.feed = feed
        self.notifier = notifier ?? InProcessChangeNotifier(feed: feed)
        self.heartbeatInterval = heartbeatInterval
        self.metrics = metrics
        self.audit = audit
        self.logger = logger
        self.now = now
        self.activity = activity
    }

    // MARK: - Push

    /// Applies a push (`SyncServer.push`: every answer already passed the access gate — scope
    /// first, values the caller may not read redacted, records masked and admitted against the
    /// read quota), audits sensitive values sent in clear, counts metrics and notifies the
    /// caller's other devices and everyone else.
    public func push(_ request: PushRequest, principal: SyncPrincipal) async throws -> PushResponse {
        // One write unit: the mutations, their outcomes and change-log entries, the answer's
        // quota count, the audit entries and the activity it feeds commit together or not at
        // all (a retry then replays nothing twice). Docs/Protocol.md §11.
        let (response, wrote, conflicts, rejections) = try await serverStorage.write { _ in
            let response = try await self.server.push(request, from: principal)
            let policy = try await self.policies.current()
            let time = self.now()
            var conflicts = 0
            var rejections = 0
            var wrote = false
            for result in response.results where result.replayed != true {
                conflicts += result.conflicts?.count ?? 0
                if result.status == .rejected { rejections += 1 } else { wrote = true }
            }
            try await self.auditClearSensitive(
                response.results.compactMap(\.record).map { ($0.entity, $0.id, $0.fields, $0.masked ?? []) },
                principal: principal, policy: policy, now: time)
            // Detection (SyncService+Activity.swift): forbidden mutations are refusals. What the answer
            // delivers was audited and fed to the monitor when it was admitted (AccessScopeProvider.admit).
            try await self.reportRefusals(response, of: request, principal: principal, now: time)
            return (response, wrote, conflicts, rejections)
        }
        metrics.pushes.increment()
        if conflicts > 0 { metrics.conflicts.increment(by: conflicts) }
        if rejections > 0 { metrics.rejections.increment(by: rejections) }
        if wrote { await notify(origin: principal.deviceId) }
        return response
    }

    // MARK: - Pull

    /// Computes a page (`SyncServer.pull`: scope, masking and the read quota — a page cut short
    /// at the quota says so in `limited`), audits sensitive values sent in clear, and counts
    /// metrics.
    public func pull(_ request: PullRequest, principal: SyncPrincipal) async throws -> PullResponse {
        try await expireHistoryIfDue()
        let response: PullResponse
        do {
            response = try await server.pull(request, from: principal)
        } catch let error as SyncError where error.code == .rateLimited {
            logger.warning(
                "sync pull refused: daily distinct-customer quota reached",
                metadata: ["staff": "\(principal.staffId)", "device": "\(principal.deviceId)"])
            throw error
        }
        let policy = try await policies.current()
        let time = now()
        try await auditClearSensitive(
            response.changes.filter { $0.kind != .deleted }.map {
                ($0.entity, $0.recordId, $0.fields, $0.masked ?? [])
            }, principal: principal, policy: policy, now: time)
        metrics.pulls.increment()
        if !response.evictions.isEmpty { metrics.evictions.increment(by: response.evictions.count) }
        return response
    }

    // MARK: - Server writes

    /// Writes fields on the server's own authority (`SyncServer.serverWrite`: reassignment,
    /// demo data, imports) and notifies the live channel. Returns the new version.
    @discardableResult
    public func serverWrite(_ key: RecordKey, fields: FieldMap, actor staffId: UUID? = nil) async throws -> Int64 {
        let version = try await server.serverWrite(key, fields: fields, actor: staffId)
        await notify(origin: nil)
        return version
    }

    /// Deletes a record on the server's own authority and notifies the live channel.
    public func serverDelete(_ key: RecordKey) async throws {
        try await server.serverDelete(key)
        await notify(origin: nil)
    }

    /// Tells the live channels once the caller's write unit (if any) has committed.
    func notify(origin: UUID?) async {
        let notifier = self.notifier
        await serverStorage.afterCommit { await notifier.changed(origin: origin) }
    }

    /// Drops history older than the retention (tombstones, change log, mutation ids).
    public func expireHistory() async throws {
        try await server.expireHistory()
    }

    /// Runs ``expireHistory()`` when it last ran more than ``historyExpiryInterval`` ago (or
    /// never, in this process); called by every pull, so no separate timer is needed.
    func expireHistoryIfDue() async throws {
        let now = ContinuousClock.now
        let due = lastExpiry.withLock { last in
            guard last.map({ now - $0 >= historyExpiryInterval }) ?? true else { return false }
            last = now
            return true
        }
        if due {
            try await expireHistory()
            logger.debug("expired sync history older than the retention")
        }
    }

    // MARK: - Redaction and audit

    /// Appends one `sensitiveRead` audit entry for the sensitive fields about to be sent in
    /// clear (not masked, not null), if any — before the response is sent.
    func auditClearSensitive(
        _ records: [(EntityKind, UUID, FieldMap, [String])], principal: SyncPrincipal, policy: AccessPolicy, now: Date
    ) async throws {
        var ids: Set<UUID> = []
        var paths: Set<String> = []
        for (kind, id, fields, masked) in records {
            let maskedPaths = Set(masked)
            for (path, value) in fields where !value.isNull && !maskedPaths.contains(path) {
                if FieldRegistry.descriptor(kind, path)?.fieldClass == .sensitive {
                    ids.insert(id)
                    paths.insert(path)
                }
            }
        }
        if ids.isEmpty { return }
        let event = AuditEvent(
            actorId: principal.staffId, deviceId: principal.deviceId, action: .sensitiveRead,
            recordIds: ids.sorted { $0.uuidString < $1.uuidString }, fields: paths.sorted(), allowed: true,
            reason: "sync")
        if let audit {
            _ = try await audit.append(event)
        } else {
            logger.notice(
                "sensitive fields sent in clear (no audit service configured)",
                metadata: ["staff": "\(principal.staffId)", "records": "\(ids.count)", "fields": "\(paths.sorted())"])
        }
    }
}
