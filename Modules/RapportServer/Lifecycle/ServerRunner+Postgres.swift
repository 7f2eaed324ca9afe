import Foundation
import Logging

extension ServerRunner {
    /// Everything before serving on PostgreSQL (`configuration.database` set): the data
    /// directory holds only the shared key files and takes no lock (several instances may share
    /// it, or each have its own copy of the keys); the storage connects and migrates; the audit
    /// log is checked against the anchors; the first administrator and the demo organisation
    /// are created in one write unit each, so of several instances starting together exactly
    /// one creates them (and prints the password).
    ///
    /// - Throws: ``ServerError`` (``ServerError/Code/unavailable`` when the database cannot be
    ///   reached at start: the server refuses to start rather than wait).
    static func preparePostgres(
        configuration: ServerConfiguration, logger: Logger, output: @escaping @Sendable (String) -> Void
    ) async throws -> ServerServices {
        guard let url = configuration.database else {
            throw ServerError(.invalidConfiguration, "no database URL given; set --database postgres://…")
        }
        let directory = DataDirectory(path: configuration.dataDirectory)
        try directory.create()
        let storage = try await PostgresServerStorage(
            url: url, poolSize: configuration.databasePoolSize, logger: logger)
        do {
            let notifier = PostgresChangeNotifier(storage: storage, logger: logger)
            let services = ServerServices(
                configuration: configuration, storage: storage, logger: logger, notifier: notifier)
            notifier.start(feed: services.sync.feed)
            try await services.audit.checkAnchorsAtStart(allowMismatch: configuration.allowAuditAnchorMismatch)
            let credential = try await storage.write { _ in try await services.identity.bootstrap() }
            if let credential {
                output(bootstrapText(loginName: credential.loginName, password: credential.password))
            }
            if configuration.demo {
                // One write unit: all or nothing, and one instance seeds (the others find the mark).
                let logins = try await storage.write { _ in
                    try await DemoSeeder(identity: services.identity, customerCount: configuration.demoCustomers).seed()
                }
                if !logins.isEmpty { output(demoLoginsText(logins)) }
            }
            return services
        } catch {
            storage.shutdown()
            throw error
        }
    }
}
