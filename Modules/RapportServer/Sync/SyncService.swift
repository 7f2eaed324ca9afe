import CoreMetrics
import Foundation
import Logging
import RapportAccess
import RapportModels
import RapportSync
import Synchronization

/// The server's sync: RapportSync's `SyncServer` over ``SyncScopeStorage`` with an
/// ``AccessScopeProvider``, plus what belongs to the server rather than the protocol core:
///
/// - **redaction** of conflict reports and rejection messages: a value the caller may not read
///   in clear is masked (or replaced by the masked marker) there too;
/// - **quotas**: the distinct customers a pull page delivers count in the person's
///   `QuotaLedger`; a page that would exceed the daily limit is refused with `rateLimited`;
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
    /// Per-person quota ledgers.
    public let quotas: QuotaService
    /// The live channel.
    public let feed: ChangeFeed
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
        activity: ActivityMonitor? = nil
    ) {
        let now: @Sendable () -> Date = { Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000) }
        self.storage = storage
        self.policies = policies
        self.scope = AccessScopeProvider(
            storage: storage, serverStorage: serverStorage, policies: policies, now: now)
        self.server = SyncServer(
            storage: storage, scope: scope, clock: clock,
            configuration: SyncServerConfiguration(limits: configuration.limits))
        self.quotas = QuotaService(storage: storage)
        self.feed = ChangeFeed()
        self.heartbeatInterval = heartbeatInterval
        self.metrics = metrics
        self.audit = audit
        self.logger = logger
        self.now = now
        self.activity = activity
    }

    // MARK: - Push

    /// Applies a push (`SyncServer.push`), then redacts what the caller may not read from
    /// conflict reports and rejection messages, audits sensitive values sent in clear, counts
    /// metrics and notifies the caller's other devices and everyone else.
    public func push(_ request: PushRequest, principal: SyncPrincipal) async throws -> PushResponse {
        var response = try await server.push(request, from: principal)
        let policy = try await policies.current()
        let who = AccessScopeProvider.principal(principal)
        let time = now()
        var conflicts = 0
        var rejections = 0
        var wrote = false
        for index in response.results.indices {
            let kind = request.mutations[index].entity
            var result = response.results[index]
            if let reported = result.conflicts {
                result.conflicts = reported.map { Self.redact($0, kind: kind, policy: policy, principal: who, now: time) }
            }
            if var rejection = result.rejection {
                rejection.message = Self.safeMessage(rejection, kind: kind, policy: policy, principal: who, now: time)
                result.rejection = rejection
            }
            if result.replayed != true {
                conflicts += result.conflicts?.count ?? 0
                if result.status == .rejected { rejections += 1 } else { wrote = true }
            }
            response.results[index] = result
        }
        try await auditClearSensitive(
            response.results.compactMap(\.record).map { ($0.entity, $0.id, $0.fields, $0.masked ?? []) },
            principal: principal, policy: policy, now: time)
        // Detection (SyncService+Activity.swift): what this answer delivers, and forbidden mutations.
        try await reportDelivery(
            response.results.compactMap(\.record).filter { !$0.deleted }.map { RecordKey($0.entity, $0.id) },
            path: "push", principal: principal, now: time)
        try await reportRefusals(response, of: request, principal: principal, now: time)
        metrics.pushes.increment()
        if conflicts > 0 { metrics.conflicts.increment(by: conflicts) }
        if rejections > 0 { metrics.rejections.increment(by: rejections) }
        if wrote { feed.publish(origin: principal.deviceId) }
        return response
    }

    // MARK: - Pull

    /// Computes a page (`SyncServer.pull`), counts the distinct customers it delivers against
    /// the person's daily quota (refusing the page with `rateLimited` above it), audits
    /// sensitive values sent in clear, and counts metrics.
    ///
    /// A refused page is not delivered: the device keeps its cursor, whose snapshot still
    /// exists, and may pull again after the quota window rolls over.
    public func pull(_ request: PullRequest, principal: SyncPrincipal) async throws -> PullResponse {
        try await expireHistoryIfDue()
        let response = try await server.pull(request, from: principal)
        let policy = try await policies.current()
        let time = now()
        let delivered = response.changes.filter { $0.kind != .deleted }.map { RecordKey($0.entity, $0.recordId) }
        let customers = Set(try await storage.customerIds(of: delivered).values).sorted {
            $0.uuidString < $1.uuidString
        }
        if !customers.isEmpty {
            let decision = try await quotas.recordCustomerAccess(
                customers, staffId: principal.staffId, policy: policy, now: time)
            if !decision.isAllowed {
                let limit = policy.quotaLimits(for: principal.staffId).distinctCustomersPerDay
                let clock = policy.settings.clock
                let nextDay = TimeInterval((clock.day(of: time) + 1) * 86_400 - clock.utcOffsetSeconds)
                let wait = max(1, Int((nextDay - time.timeIntervalSince1970).rounded(.up)))
                logger.warning(
                    "sync pull refused: daily distinct-customer quota reached",
                    metadata: ["staff": "\(principal.staffId)", "device": "\(principal.deviceId)", "limit": "\(limit)"])
                throw SyncError(
                    .rateLimited,
                    "you have reached today's limit of \(limit) distinct customers synced to your devices; "
                        + "the rest arrives after the limit resets at local midnight, or ask an administrator to raise it",
                    retryAfterSeconds: wait)
            }
        }
        try await auditClearSensitive(
            response.changes.filter { $0.kind != .deleted }.map {
                ($0.entity, $0.recordId, $0.fields, $0.masked ?? [])
            }, principal: principal, policy: policy, now: time)
        // Detection (SyncService+Activity.swift): one recordsSent entry for this page, its customers.
        try await reportDelivery(delivered, customers: customers, path: "pull", principal: principal, now: time)
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
        feed.publish()
        return version
    }

    /// Deletes a record on the server's own authority and notifies the live channel.
    public func serverDelete(_ key: RecordKey) async throws {
        try await server.serverDelete(key)
        feed.publish()
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

    /// A conflict report with every value the principal may not read in clear masked, or
    /// replaced by the masked marker when the field is hidden from them.
    static func redact(
        _ conflict: FieldConflict, kind: EntityKind, policy: AccessPolicy, principal: Principal, now: Date
    ) -> FieldConflict {
        let fieldClass = FieldRegistry.descriptor(kind, conflict.field)?.fieldClass ?? .sensitive
        func clean(_ value: JSONValue) -> JSONValue {
            policy.redact(value, kind: kind, path: conflict.field, for: principal, now: now)
                ?? ValueMasker.marker(fieldClass)
        }
        var copy = conflict
        copy.base = conflict.base.map(clean)
        copy.yours = clean(conflict.yours)
        copy.theirs = clean(conflict.theirs)
        copy.result = clean(conflict.result)
        return copy
    }

    /// The rejection's message, or — when it concerns a field the principal may not read in
    /// clear (validation messages may quote values) — a message naming only field and rule.
    static func safeMessage(
        _ rejection: Rejection, kind: EntityKind, policy: AccessPolicy, principal: Principal, now: Date
    ) -> String {
        guard let field = rejection.field else { return rejection.message }
        let fieldClass = FieldRegistry.descriptor(kind, field)?.fieldClass ?? .sensitive
        if policy.fieldAccess(principal, fieldClass, now: now) == .full { return rejection.message }
        return
            "'\(field)' breaks the rule '\(rejection.rule ?? rejection.code.rawValue)'; correct the value and save again"
    }

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
