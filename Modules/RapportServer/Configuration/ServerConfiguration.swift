import Foundation
import Logging
import RapportCrypto
import RapportProtocol

/// Everything a Rapport server needs to start: where to listen, where its data lives, limits,
/// token and lease lifetimes, and the login lockout policy.
///
/// The defaults are what `rapport-server` uses with no flags, environment or config file.
/// Reading it from those sources lives in `ServerConfiguration+ConfigReader.swift`
/// (``ServerConfiguration/load(flags:environment:configFile:)``).
///
/// ```swift
/// var configuration = ServerConfiguration(port: 0, dataDirectory: dir.path)
/// configuration.passwordHashing = .testing
/// ```
public struct ServerConfiguration: Sendable, Hashable {
    /// Certificate and private key files (PEM) for HTTPS.
    public struct TLSFiles: Sendable, Hashable {
        /// The certificate chain, PEM.
        public var certificatePath: String
        /// The private key, PEM.
        public var privateKeyPath: String

        /// Creates the pair.
        public init(certificatePath: String, privateKeyPath: String) {
            self.certificatePath = certificatePath
            self.privateKeyPath = privateKeyPath
        }
    }

    /// The login slow-down and lockout policy.
    public struct LoginThrottle: Sendable, Hashable {
        /// Failed attempts allowed before each further attempt must wait. Default 3.
        public var slowdownAfter: Int
        /// The wait after the first throttled failure, doubled with each further failure. Default 2 s.
        public var baseDelaySeconds: Int
        /// The longest wait between attempts. Default 300 s.
        public var maxDelaySeconds: Int
        /// Consecutive failures after which the account is locked until an administrator unlocks it. Default 10.
        ///
        /// Counted per login name *and source*: failures from an address where the person signed in
        /// successfully within ``familiarAddressDays`` are counted apart from everyone else's, so a
        /// stranger's failures never lock the account for its owner at a familiar address.
        public var lockoutAfter: Int
        /// Failed sign-ins from one client address (across every login name) before each further
        /// attempt from it must wait (doubling from ``baseDelaySeconds`` up to ``maxDelaySeconds``). Default 10.
        public var addressSlowdownAfter: Int
        /// Failed sign-ins from one client address after which it is blocked for ``addressBlockMinutes``. Default 30.
        public var addressBlockAfter: Int
        /// How long a blocked address is refused, in minutes; also the quiet period after which an
        /// address's failures are forgotten. Default 60.
        public var addressBlockMinutes: Int
        /// How long after a successful sign-in an address stays familiar for that login, in days. Default 30.
        public var familiarAddressDays: Int

        /// Creates a policy.
        public init(
            slowdownAfter: Int = 3, baseDelaySeconds: Int = 2, maxDelaySeconds: Int = 300, lockoutAfter: Int = 10,
            addressSlowdownAfter: Int = 10, addressBlockAfter: Int = 30, addressBlockMinutes: Int = 60,
            familiarAddressDays: Int = 30
        ) {
            self.slowdownAfter = slowdownAfter
            self.baseDelaySeconds = baseDelaySeconds
            self.maxDelaySeconds = maxDelaySeconds
            self.lockoutAfter = lockoutAfter
            self.addressSlowdownAfter = addressSlowdownAfter
            self.addressBlockAfter = addressBlockAfter
            self.addressBlockMinutes = addressBlockMinutes
            self.familiarAddressDays = familiarAddressDays
        }

        /// The wait required after `failures` consecutive failures (0 while below ``slowdownAfter``).
        public func delaySeconds(afterFailures failures: Int) -> Int {
            delay(afterFailures: failures, threshold: slowdownAfter)
        }

        /// The wait required after `failures` failures from one address (0 while below ``addressSlowdownAfter``).
        public func addressDelaySeconds(afterFailures failures: Int) -> Int {
            delay(afterFailures: failures, threshold: addressSlowdownAfter)
        }

        /// How long a blocked address is refused, in seconds.
        public var addressBlockPeriod: TimeInterval { TimeInterval(addressBlockMinutes) * 60 }
        /// How long an address stays familiar after a successful sign-in, in seconds.
        public var familiarAddressPeriod: TimeInterval { TimeInterval(familiarAddressDays) * 86_400 }

        private func delay(afterFailures failures: Int, threshold: Int) -> Int {
            guard failures >= threshold, baseDelaySeconds > 0 else { return 0 }
            let doublings = min(failures - threshold, 30)
            let (delay, overflow) = baseDelaySeconds.multipliedReportingOverflow(by: 1 << doublings)
            return overflow ? maxDelaySeconds : min(delay, maxDelaySeconds)
        }
    }

    /// The address to listen on. Default `127.0.0.1`; `0.0.0.0` listens on every interface.
    public var host: String
    /// The TCP port. Default 8080; 0 picks a free port (tests).
    public var port: Int
    /// The port of a separate listener that serves only `/metrics`, on ``metricsHost``; `nil`
    /// (the default) serves `/metrics` with the API. With it set, the API listener has no
    /// `/metrics`, so the scraper's endpoint need not be exposed where clients reach the API.
    public var metricsPort: Int? = nil
    /// The address the metrics listener binds. Default `127.0.0.1`.
    public var metricsHost: String = "127.0.0.1"
    /// The data directory (database, lock file, backups). Default `./rapport-data`.
    public var dataDirectory: String
    /// Whether to seed a demo organisation on first start.
    public var demo: Bool
    /// How many customers (with their history) the demo organisation gets. Default 2,000.
    public var demoCustomers = 2_000
    /// HTTPS certificate and key; `nil` serves plain HTTP (behind a TLS-terminating proxy).
    public var tls: TLSFiles?
    /// Request size limits: body bytes (413 above), push batch and pull page sizes.
    public var limits: SyncLimits
    /// Connection limits: how many, how many per client address, header size, timeouts.
    public var connections = ConnectionLimits()
    /// How long an access token works, in minutes. Default 15.
    public var accessTokenMinutes: Int
    /// How long a refresh token works, in days. Default 30.
    public var refreshTokenDays: Int
    /// How long a device's key lease lasts without renewal, in hours. Default 72.
    public var leaseHours: Int
    /// Login slow-down and lockout.
    public var loginThrottle: LoginThrottle
    /// Addresses of reverse proxies whose `X-Forwarded-For` header names the client (sign-in
    /// throttling counts per client address). Empty (the default): the connection's peer address
    /// is the client.
    public var trustedProxies: [String]
    /// Threads that compute password hashes (scrypt), apart from the shared concurrency pool.
    /// Default max(1, cores / 2).
    public var passwordHashingThreads: Int
    /// scrypt cost for new password hashes. Default ``ScryptParameters/interactive``; tests use
    /// ``ScryptParameters/testing``.
    public var passwordHashing: ScryptParameters
    /// The lowest log level written. Default `info`.
    public var logLevel: Logger.Level
    /// How log lines are written (``LogFormat``). Default `text`.
    public var logFormat: LogFormat = .text
    /// How often maintenance (expired-token purge, device gauges) runs, in seconds. Default 60.
    public var maintenanceIntervalSeconds: Int
    /// How many backups made through `POST /v1/admin/backup` stay in the data directory's
    /// `backups/`: after each one, the oldest beyond this count are deleted. `0` keeps every
    /// backup. Default 14. Backups written elsewhere (`rapport-server backup --to`) are not counted.
    public var backupRetention = 14
    /// The file the audit chain's signed heads are appended to; `nil` (the default) is
    /// `audit-anchors.log` in the data directory. Keep it where the database's writers alone
    /// cannot rewrite it (another disk, an append-only mount) when you can.
    public var auditAnchorFile: String? = nil
    /// Start even when the audit log does not match its anchors (a cut-off log, a deleted
    /// checkpoint or anchor file), logging the problems as critical. Default `false`: the server
    /// refuses to start and says what is missing.
    public var allowAuditAnchorMismatch = false

    /// This instance's node id in the hybrid logical clock (`--node-id`, `RAPPORT_NODE_ID`,
    /// `nodeId`). Every instance on one database needs its own, so two instances never stamp
    /// the same clock reading. Default ``defaultNodeId``: the host name and a random suffix
    /// made once per process — never a constant shared by every instance.
    public var nodeId: String = ServerConfiguration.defaultNodeId
    /// The audit key file (`--audit-key-file`); `nil` (the default) is `audit.key` in the data
    /// directory. Several instances give the same shared secret file (or copies of one key).
    public var auditKeyFile: String? = nil
    /// The canary secret file (`--canary-key-file`); `nil` (the default) is `canary.key` in the
    /// data directory. Shared by every instance like ``auditKeyFile``.
    public var canaryKeyFile: String? = nil

    /// The database (`--database`, `RAPPORT_DATABASE`, `database`): `nil` (the default) is
    /// SQLite in the data directory; a `postgres://` URL runs on PostgreSQL, where several
    /// instances may share one database (Docs/ScaleOut.md).
    public var database: String? = nil
    /// The most PostgreSQL connections this instance opens (`databasePoolSize`). Default 20.
    public var databasePoolSize = 20

    /// The default ``nodeId`` of this process: `<host name>-<8 random hex digits>`, made once.
    public static let defaultNodeId: String = {
        let host = ProcessInfo.processInfo.hostName.split(separator: ".").first.map(String.init) ?? "rapport"
        let cleaned = String(host.filter { $0.isLetter || $0.isNumber || $0 == "-" }.prefix(40))
        let suffix = (0..<4).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        return (cleaned.isEmpty ? "rapport" : cleaned) + "-" + suffix
    }()

    /// The audit key file in effect: ``auditKeyFile`` or the data directory's default.
    public var auditKeyPath: String {
        auditKeyFile ?? DataDirectory(path: dataDirectory).auditKeyPath
    }

    /// The canary secret file in effect: ``canaryKeyFile`` or the data directory's default.
    public var canaryKeyPath: String {
        canaryKeyFile ?? DataDirectory(path: dataDirectory).canaryKeyPath
    }

    /// The audit anchor file in effect: ``auditAnchorFile`` or the data directory's default.
    public var auditAnchorPath: String {
        auditAnchorFile ?? DataDirectory(path: dataDirectory).auditAnchorsPath
    }

    /// Creates a configuration; every parameter has the production default.
    public init(
        host: String = "127.0.0.1", port: Int = 8080, dataDirectory: String = "./rapport-data", demo: Bool = false,
        tls: TLSFiles? = nil, limits: SyncLimits = SyncLimits(), accessTokenMinutes: Int = 15,
        refreshTokenDays: Int = 30, leaseHours: Int = 72, loginThrottle: LoginThrottle = LoginThrottle(),
        passwordHashing: ScryptParameters = .interactive, logLevel: Logger.Level = .info,
        maintenanceIntervalSeconds: Int = 60, trustedProxies: [String] = [],
        passwordHashingThreads: Int = ServerConfiguration.defaultPasswordHashingThreads
    ) {
        self.host = host
        self.port = port
        self.dataDirectory = dataDirectory
        self.demo = demo
        self.tls = tls
        self.limits = limits
        self.accessTokenMinutes = accessTokenMinutes
        self.refreshTokenDays = refreshTokenDays
        self.leaseHours = leaseHours
        self.loginThrottle = loginThrottle
        self.passwordHashing = passwordHashing
        self.logLevel = logLevel
        self.maintenanceIntervalSeconds = maintenanceIntervalSeconds
        self.trustedProxies = trustedProxies
        self.passwordHashingThreads = passwordHashingThreads
    }

    /// max(1, active cores / 2): leaves at least half the cores to everything else during a login storm.
    public static var defaultPasswordHashingThreads: Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / 2)
    }

    /// The access-token lifetime in seconds.
    public var accessTokenLifetime: TimeInterval { TimeInterval(accessTokenMinutes) * 60 }
    /// The refresh-token lifetime in seconds.
    public var refreshTokenLifetime: TimeInterval { TimeInterval(refreshTokenDays) * 86_400 }
    /// The lease period in seconds.
    public var leasePeriod: TimeInterval { TimeInterval(leaseHours) * 3_600 }
}
