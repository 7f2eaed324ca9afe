import ArgumentParser
import Foundation
import Logging

/// `rapport-server serve`: runs the server until SIGTERM/SIGINT.
///
/// Settings come from flags, then `RAPPORT_*` environment variables, then the `--config`
/// JSON file, then defaults. A bad value stops the server before it starts, naming where the
/// value came from, with exit code 78 (EX_CONFIG).
public struct ServeCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server (the default command).")

    @Option(name: .long, help: "JSON config file (or RAPPORT_CONFIG).") var config: String?
    @Option(name: .long, help: "Address to listen on. Default 127.0.0.1.") var host: String?
    @Option(name: .long, help: "TCP port. Default 8080.") var port: String?
    @Option(name: .long, help: "Port of a separate /metrics listener. Default none (/metrics on the API port).")
    var metricsPort: String?
    @Option(name: .long, help: "Address of the /metrics listener. Default 127.0.0.1.") var metricsHost: String?
    @Option(name: .long, help: "Data directory. Default ./rapport-data.") var dataDir: String?
    @Flag(name: .long, help: "Seed a demo organisation on first start.") var demo = false
    @Option(name: .long, help: "Customers the demo organisation gets. Default 2000.") var demoCustomers: String?
    @Option(name: .long, help: "PEM certificate chain for HTTPS.") var tlsCertificate: String?
    @Option(name: .long, help: "PEM private key for HTTPS.") var tlsKey: String?
    @Option(name: .long, help: "Largest request body in bytes. Default 4194304.") var maxBodyBytes: String?
    @Option(name: .long, help: "Most mutations per push. Default 200.") var maxBatch: String?
    @Option(name: .long, help: "Most changes per pull page. Default 500.") var maxPage: String?
    @Option(name: .long, help: "Open connections served at once. Default 4096.") var maxConnections: String?
    @Option(name: .long, help: "Open connections from one client address. Default 256.")
    var maxConnectionsPerAddress: String?
    @Option(name: .long, help: "Largest request head in bytes. Default 16384.") var maxHeaderBytes: String?
    @Option(name: .long, help: "Seconds to send a request head. Default 10.") var headerTimeoutSeconds: String?
    @Option(name: .long, help: "Seconds to send a request body. Default 60.") var bodyTimeoutSeconds: String?
    @Option(name: .long, help: "Seconds a connection may wait for a request. Default 60.") var idleTimeoutSeconds: String?
    @Option(name: .long, help: "Access-token lifetime, minutes. Default 15.") var accessTokenMinutes: String?
    @Option(name: .long, help: "Refresh-token lifetime, days. Default 30.") var refreshTokenDays: String?
    @Option(name: .long, help: "Device key lease period, hours. Default 72.") var leaseHours: String?
    @Option(name: .long, help: "Failed logins before attempts are delayed. Default 3.") var loginSlowdownAfter: String?
    @Option(name: .long, help: "First login delay, seconds (doubles). Default 2.") var loginDelaySeconds: String?
    @Option(name: .long, help: "Longest login delay, seconds. Default 300.") var loginMaxDelaySeconds: String?
    @Option(name: .long, help: "Failed logins that lock an account. Default 10.") var lockoutAfter: String?
    @Option(name: .long, help: "Failed logins from one address before its attempts are delayed. Default 10.")
    var loginAddressSlowdownAfter: String?
    @Option(name: .long, help: "Failed logins from one address that block it. Default 30.")
    var loginAddressBlockAfter: String?
    @Option(name: .long, help: "How long a blocked address is refused, minutes. Default 60.")
    var loginAddressBlockMinutes: String?
    @Option(name: .long, help: "Days an address stays familiar after a successful login. Default 30.")
    var loginFamiliarAddressDays: String?
    @Option(name: .long, help: "Comma-separated reverse-proxy addresses whose X-Forwarded-For is believed.")
    var trustedProxies: String?
    @Option(name: .long, help: "Threads that compute password hashes. Default max(1, cores/2).")
    var passwordHashingThreads: String?
    @Option(name: .long, help: "Lowest log level. Default info.") var logLevel: String?
    @Option(name: .long, help: "Log line format: text, json or logfmt. Default text.") var logFormat: String?
    @Option(name: .long, help: "Maintenance interval, seconds. Default 60.") var maintenanceIntervalSeconds: String?
    @Option(name: .long, help: "Admin-API backups kept in <data-dir>/backups (0 keeps all). Default 14.")
    var backupRetention: String?
    @Option(name: .long, help: "Audit anchor file. Default <data-dir>/audit-anchors.log.") var auditAnchorFile: String?
    @Option(name: .long, help: "This instance's clock node id, unique per instance. Default <host>-<random>.")
    var nodeId: String?
    @Option(name: .long, help: "Audit key file, shared by every instance. Default <data-dir>/audit.key.")
    var auditKeyFile: String?
    @Option(name: .long, help: "Canary secret file, shared by every instance. Default <data-dir>/canary.key.")
    var canaryKeyFile: String?
    @Option(name: .long, help: "The database: a postgres:// URL for PostgreSQL. Default: SQLite in the data directory.")
    var database: String?
    @Option(name: .long, help: "PostgreSQL connections this instance opens at most. Default 20.")
    var databasePoolSize: String?
    @Flag(name: .long, help: "Start although the audit log does not match its anchors (reported as critical).")
    var allowAuditAnchorMismatch = false

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// The flags given, keyed by ``ConfigurationKey/name``.
    public var flags: [String: String] {
        var flags: [String: String] = [:]
        let values: [(String, String?)] = [
            ("host", host), ("port", port), ("metricsPort", metricsPort), ("metricsHost", metricsHost), ("dataDir", dataDir), ("demoCustomers", demoCustomers), ("tlsCertificate", tlsCertificate),
            ("tlsKey", tlsKey),
            ("maxBodyBytes", maxBodyBytes), ("maxBatch", maxBatch), ("maxPage", maxPage),
            ("maxConnections", maxConnections), ("maxConnectionsPerAddress", maxConnectionsPerAddress),
            ("maxHeaderBytes", maxHeaderBytes), ("headerTimeoutSeconds", headerTimeoutSeconds),
            ("bodyTimeoutSeconds", bodyTimeoutSeconds), ("idleTimeoutSeconds", idleTimeoutSeconds),
            ("accessTokenMinutes", accessTokenMinutes), ("refreshTokenDays", refreshTokenDays),
            ("leaseHours", leaseHours),
            ("loginSlowdownAfter", loginSlowdownAfter), ("loginDelaySeconds", loginDelaySeconds),
            ("loginMaxDelaySeconds", loginMaxDelaySeconds), ("lockoutAfter", lockoutAfter),
            ("loginAddressSlowdownAfter", loginAddressSlowdownAfter),
            ("loginAddressBlockAfter", loginAddressBlockAfter),
            ("loginAddressBlockMinutes", loginAddressBlockMinutes),
            ("loginFamiliarAddressDays", loginFamiliarAddressDays),
            ("trustedProxies", trustedProxies), ("passwordHashingThreads", passwordHashingThreads),
            ("logLevel", logLevel), ("logFormat", logFormat),
            ("maintenanceIntervalSeconds", maintenanceIntervalSeconds), ("backupRetention", backupRetention),
            ("auditAnchorFile", auditAnchorFile), ("nodeId", nodeId), ("auditKeyFile", auditKeyFile),
            ("canaryKeyFile", canaryKeyFile), ("database", database), ("databasePoolSize", databasePoolSize),
        ]
        for (name, value) in values { if let value { flags[name] = value } }
        if demo { flags["demo"] = "true" }
        if allowAuditAnchorMismatch { flags["allowAuditAnchorMismatch"] = "true" }
        return flags
    }

    /// The configuration these flags, the environment and the config file give.
    public func loadConfiguration(environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ServerError)
        -> ServerConfiguration
    {
        try ServerConfiguration.load(flags: flags, environment: environment, configFile: config)
    }

    /// Loads the configuration and runs the server.
    public func run() async throws {
        let configuration: ServerConfiguration
        do {
            configuration = try loadConfiguration()
        } catch {
            FileHandle.standardError.write(Data("rapport-server: configuration error: \(error.message)\n".utf8))
            throw ExitCode(78)
        }
        let (level, format) = (configuration.logLevel, configuration.logFormat)
        LoggingSystem.bootstrap { label in RapportLogHandler(label: label, format: format, level: level) }
        let logger = Logger(label: "rapport-server")
        do {
            try await ServerRunner.run(configuration: configuration, logger: logger)
        } catch let error as ServerError {
            FileHandle.standardError.write(Data("rapport-server: \(error.message)\n".utf8))
            throw ExitCode(error.code == .invalidConfiguration ? 78 : 1)
        }
    }
}
