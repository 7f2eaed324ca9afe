import Foundation
import Logging
import RapportAccess
import ServiceLifecycle
import UnixSignals

/// Runs a server until SIGTERM or SIGINT: checks the data directory's permissions, takes its
/// lock, opens storage, checks the audit log's anchors, creates the first administrator
/// (printing its one-time credential), seeds the demo organisation if asked (all in
/// ``prepare(configuration:logger:output:)``), then runs the HTTP application and maintenance in one
/// `ServiceGroup`, which on a signal stops accepting connections and lets in-flight requests
/// finish.
public enum ServerRunner {
    /// Runs until shutdown.
    ///
    /// - Parameters:
    ///   - configuration: a checked configuration.
    ///   - logger: where logs go.
    ///   - output: where the one-time bootstrap credential and the demo logins are written
    ///     (stdout) — never to the log.
    ///   - modules: extra endpoints (sync, admin API).
    /// - Throws: ``ServerError`` (e.g. ``ServerError/Code/serverRunning`` if another server
    ///   uses the data directory) or a service failure.
    public static func run(
        configuration: ServerConfiguration, logger: Logger,
        output: @escaping @Sendable (String) -> Void = ServerRunner.printFlushed,
        modules: [any RouteModule] = []
    ) async throws {
        let openFiles = DescriptorLimit.raiseToHardLimit()
        logger.info("open-file limit", metadata: ["soft": "\(openFiles)", "hard": "\(DescriptorLimit.current.hard)"])
        let (services, lock) = try await prepare(configuration: configuration, logger: logger, output: output)
        defer { lock?.release() }
        let scheme = configuration.tls == nil ? "http" : "https"
        let app = try buildApplication(services: services, modules: modules) { port in
            logger.notice(
                "listening",
                metadata: [
                    "url": "\(scheme)://\(configuration.host):\(port)", "dataDir": "\(configuration.dataDirectory)",
                ])
        }
        var running: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app), .init(service: MaintenanceService(services: services)),
        ]
        if let metrics = buildMetricsApplication(
            services: services,
            onServerRunning: { port in
                logger.notice("metrics listening", metadata: ["url": "http://\(configuration.metricsHost):\(port)/metrics"])
            })
        {
            running.append(.init(service: metrics))
        }
        let group = ServiceGroup(
            configuration: .init(services: running, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("stopped")
    }
}

extension ServerRunner {
    /// Everything before serving: refuses a data directory (or database, key, anchor file) that
    /// group or others can read, creates the directory 0700, takes its lock, opens storage,
    /// checks the audit log against its anchors (refusing to start on a mismatch unless
    /// `allowAuditAnchorMismatch` is set), creates the first administrator and seeds the demo
    /// (all or nothing: ``DemoSeeder/seedAtomically(configuration:logger:customerCount:prepareStaging:)``).
    ///
    /// - Returns: the services and the lock, which the caller releases after serving.
    /// - Throws: ``ServerError`` saying what is wrong and how to fix or investigate it.
    public static func prepare(
        configuration: ServerConfiguration, logger: Logger,
        output: @escaping @Sendable (String) -> Void = ServerRunner.printFlushed
    ) async throws -> (services: ServerServices, lock: DataDirectoryLock?) {
        let directory = DataDirectory(path: configuration.dataDirectory)
        try directory.checkPrivate(also: [configuration.auditAnchorPath])
        if configuration.database != nil {
            return (try await preparePostgres(configuration: configuration, logger: logger, output: output), nil)
        }
        let lock = try DataDirectoryLock(directory)
        for abandoned in directory.removeAbandonedBackups() {
            logger.warning("deleted a backup left unfinished by a crash", metadata: ["path": "\(abandoned)"])
        }
        do {
            try directory.create()
            let storage = try SQLiteServerStorage(path: directory.databasePath)
            var services = ServerServices(
                configuration: configuration, storage: storage, sqliteFile: storage, logger: logger)
            try await services.audit.checkAnchorsAtStart(allowMismatch: configuration.allowAuditAnchorMismatch)
            try await bootstrapAdministrator(services, output: output)
            if configuration.demo, try await storage.setting(DemoSeeder.seededSetting) == nil {
                // Seeding replaces the database file: no connection may stay open on it.
                try storage.close()
                let logins = try await DemoSeeder.seedAtomically(
                    configuration: configuration, logger: logger, customerCount: configuration.demoCustomers)
                services = try ServerServices.open(configuration: configuration, logger: logger)
                if !logins.isEmpty { output(demoLoginsText(logins)) }
            }
            return (services, lock)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Creates the first administrator, printing the one-time credential.
    static func bootstrapAdministrator(_ services: ServerServices, output: @Sendable (String) -> Void)
        async throws
    {
        if let credential = try await services.identity.bootstrap() {
            output(bootstrapText(loginName: credential.loginName, password: credential.password))
        }
    }

    /// The one-time administrator credential, for stdout.
    static func bootstrapText(loginName: String, password: String) -> String {
        """
        ================================================================
        First start: created the administrator account.
          login name: \(loginName)
          password:   \(password)
        This password is shown once and never logged. Sign in and change it.
        ================================================================
        """
    }

    /// The demo logins, for stdout.
    static func demoLoginsText(_ logins: [DemoSeeder.Login]) -> String {
        var text = "Demo organisation seeded. Sign in as any of these (demo passwords):\n"
        for login in logins {
            text +=
                "  \(login.role.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) "
                + "\(login.loginName.padding(toLength: 16, withPad: " ", startingAt: 0)) \(login.password)  (\(login.name), \(login.team))\n"
        }
        return text
    }

    /// Writes `text` and a newline to standard output and flushes at once, so the one-time
    /// administrator password reaches a pipe or a log file (systemd, `> file`) immediately
    /// rather than sitting in stdio's buffer until the server exits.
    public static func printFlushed(_ text: String) {
        try? FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
    }
}
