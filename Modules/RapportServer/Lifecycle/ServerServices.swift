import Foundation
import Logging
import RapportProtocol

/// What every endpoint works with: configuration, storage, identity, metrics and the logger.
/// Built once per server by ``ServerServices/open(configuration:logger:)`` (or assembled by
/// hand in tests) and handed to every ``RouteModule``.
public struct ServerServices: Sendable {
    /// The configuration the server runs with.
    public let configuration: ServerConfiguration
    /// The server's storage (SQLite by default): the one seam every service is built over.
    public let storage: any ServerStorage
    /// The SQLite database file, when the storage is one: what the SQLite-only operator
    /// commands (backup) work on, outside the storage seam. `nil` on other storages.
    public let sqliteFile: SQLiteServerStorage?
    /// Sign-in, tokens, leases and status checks.
    public let identity: IdentityService
    /// Prometheus metrics, served at `/metrics`.
    public let metrics: ServerMetrics
    /// The server's logger.
    public let logger: Logger
    /// The tamper-evident audit log (logins, admin actions, grants, exports, alerts).
    public let audit: AuditService
    /// The current access policy, rebuilt whenever the organisation changes (call
    /// `policy.invalidate()` after changes the storage triggers do not see).
    public let policy: PolicyService
    /// Sync push, pull and the live channel.
    public let sync: SyncService
    /// What the admin API needs from the sync side (records store, policy invalidation).
    public let adminHooks: AdminHooks
    /// Anomaly detection: every delivery and refusal feeds the rules in the request that made
    /// it; alerts are raised at once (Docs/Security.md, "Anomaly detection").
    public let activity: ActivityMonitor

    /// Assembles services from parts.
    ///
    /// - Parameter clock: the wall clock of sync and detection (tests pass a `ManualWallClock`).
    public init(
        configuration: ServerConfiguration, storage: any ServerStorage, sqliteFile: SQLiteServerStorage? = nil,
        metrics: ServerMetrics = ServerMetrics(), logger: Logger, clock: any SyncWallClock = SystemWallClock(),
        notifier: (any ChangeNotifier)? = nil
    ) {
        self.configuration = configuration
        self.storage = storage
        self.sqliteFile = sqliteFile
        self.metrics = metrics
        self.logger = logger
        self.audit = AuditService(
            storage: storage,
            keyFile: AuditKeyFile(path: configuration.auditKeyPath),
            anchors: AuditAnchorFile(path: configuration.auditAnchorPath), logger: logger)
        self.identity = IdentityService(
            storage: storage, configuration: configuration, metrics: metrics, logger: logger, audit: audit)
        let policy = PolicyService(storage: storage)
        let audit = self.audit
        self.policy = policy
        let adminHooks = AdminHooks()
        self.adminHooks = adminHooks
        let activity = ActivityMonitor(
            storage: storage, policies: policy, alerts: AlertBook(storage: storage, audit: audit), identity: identity,
            hooks: adminHooks, logger: logger, now: { Date(timeIntervalSince1970: Double(clock.nowMillis()) / 1000) })
        self.activity = activity
        let sync = SyncService(
            storage: storage, serverStorage: storage, policies: policy, configuration: configuration, metrics: metrics,
            audit: audit, logger: logger, clock: clock, activity: activity, notifier: notifier)
        self.sync = sync
        // After the change commits: a policy rebuilt earlier would not see it yet.
        adminHooks.onOrganisationChange {
            await policy.invalidate()
            await storage.afterCommit { await policy.invalidate() }
        }
        adminHooks.installRecords(SyncAdminRecordStore(sync: sync))
        // A revoked device learns it on its live channel at once (each stream re-checks its
        // device's standing on every event), and a scope change (grant, reassignment) makes
        // devices pull now rather than at their next scheduled sync.
        let notifier = sync.notifier
        adminHooks.onOrganisationChange { await storage.afterCommit { await notifier.changed(origin: nil) } }
    }

    /// Opens the SQLite storage in the configured data directory (creating it) and assembles
    /// services over it. The caller holds the directory's ``DataDirectoryLock``.
    ///
    /// - Parameter vfs: a registered SQLite VFS to open the database through (tests inject
    ///   disk faults); `nil`, the default, is SQLite's own.
    public static func open(
        configuration: ServerConfiguration, logger: Logger, clock: any SyncWallClock = SystemWallClock(),
        vfs: String? = nil
    ) throws(ServerError) -> ServerServices {
        let directory = DataDirectory(path: configuration.dataDirectory)
        try directory.create()
        let storage = try SQLiteServerStorage(path: directory.databasePath, vfs: vfs)
        return ServerServices(
            configuration: configuration, storage: storage, sqliteFile: storage, logger: logger, clock: clock)
    }

    /// The data directory.
    public var dataDirectory: DataDirectory { DataDirectory(path: configuration.dataDirectory) }
}
