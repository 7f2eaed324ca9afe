import Foundation
import Logging
import RapportProtocol

/// One setting of ``ServerConfiguration`` as the operator names it: a config-file key, the
/// matching command-line flag and environment variable, and how to parse and check a value.
///
/// `maxBodyBytes` is `--max-body-bytes` on the command line and `RAPPORT_MAX_BODY_BYTES` in the
/// environment. ``all`` is the full table (`Docs/Operations.md` lists the same keys).
public struct ConfigurationKey: Sendable {
    /// The config-file key, e.g. `maxBodyBytes`.
    public let name: String
    /// What the setting does, with its unit.
    public let summary: String
    /// The default as written in a config file.
    public let defaultValue: String
    let apply: @Sendable (inout ServerConfiguration, String) throws(ValueProblem) -> Void

    /// A reason a value was refused, without naming its source (the reader adds that).
    struct ValueProblem: Error {
        let reason: String
    }

    init(
        _ name: String, _ summary: String, default defaultValue: String,
        apply: @escaping @Sendable (inout ServerConfiguration, String) throws(ValueProblem) -> Void
    ) {
        self.name = name
        self.summary = summary
        self.defaultValue = defaultValue
        self.apply = apply
    }

    /// The command-line flag, e.g. `--max-body-bytes`.
    public var flag: String {
        "--"
            + name.reduce(into: "") { out, ch in
                if ch.isUppercase { out += "-" + ch.lowercased() } else { out.append(ch) }
            }
    }

    /// The environment variable, e.g. `RAPPORT_MAX_BODY_BYTES`.
    public var environmentVariable: String {
        "RAPPORT_"
            + name.reduce(into: "") { out, ch in
                if ch.isUppercase { out += "_" + String(ch) } else { out += ch.uppercased() }
            }
    }

    /// The key named `name`, or `nil`.
    public static func named(_ name: String) -> ConfigurationKey? {
        all.first { $0.name == name }
    }

    /// The environment variable that names a config file (`--config` on the command line).
    public static let configFileVariable = "RAPPORT_CONFIG"

    /// Every key, in the order the operator guide lists them.
    public static let all: [ConfigurationKey] = [
        ConfigurationKey("host", "address to listen on", default: "127.0.0.1") { c, v throws(ValueProblem) in
            guard !v.isEmpty, !v.contains(where: \.isWhitespace) else {
                throw ValueProblem(
                    reason: "'\(v)' is not a host address; use an IP address such as 127.0.0.1 or 0.0.0.0")
            }
            c.host = v
        },
        ConfigurationKey("port", "TCP port (0 = any free port)", default: "8080") { c, v throws(ValueProblem) in
            c.port = try integer(v, in: 0...65_535, unit: "port")
        },
        ConfigurationKey(
            "metricsPort", "port of a separate /metrics listener (none = /metrics on the API port)", default: "none"
        ) { c, v throws(ValueProblem) in
            c.metricsPort = v.lowercased() == "none" ? nil : try integer(v, in: 0...65_535, unit: "port")
        },
        ConfigurationKey("metricsHost", "address the /metrics listener binds (with metricsPort)", default: "127.0.0.1") {
            c, v throws(ValueProblem) in
            guard !v.isEmpty, !v.contains(where: \.isWhitespace) else {
                throw ValueProblem(
                    reason: "'\(v)' is not a host address; use an IP address such as 127.0.0.1 or 0.0.0.0")
            }
            c.metricsHost = v
        },
        ConfigurationKey("dataDir", "data directory (database, lock file, backups)", default: "./rapport-data") {
            c, v throws(ValueProblem) in
            guard !v.isEmpty else { throw ValueProblem(reason: "the data directory must not be empty; give a path") }
            c.dataDirectory = v
        },
        ConfigurationKey("demo", "seed a demo organisation on first start", default: "false") {
            c, v throws(ValueProblem) in
            c.demo = try boolean(v)
        },
        ConfigurationKey("demoCustomers", "customers the demo organisation gets (with demo)", default: "2000") {
            c, v throws(ValueProblem) in
            c.demoCustomers = try integer(v, in: 0...100_000, unit: "number of customers")
        },
        ConfigurationKey("tlsCertificate", "PEM certificate chain for HTTPS", default: "(none)") {
            c, v throws(ValueProblem) in
            c.tls = .init(certificatePath: v, privateKeyPath: c.tls?.privateKeyPath ?? "")
        },
        ConfigurationKey("tlsKey", "PEM private key for HTTPS", default: "(none)") { c, v throws(ValueProblem) in
            c.tls = .init(certificatePath: c.tls?.certificatePath ?? "", privateKeyPath: v)
        },
        ConfigurationKey("maxBodyBytes", "largest request body in bytes (413 above)", default: "4194304") {
            c, v throws(ValueProblem) in
            c.limits.maxBodyBytes = try integer(v, in: 1_024...(1 << 30), unit: "byte count")
        },
        ConfigurationKey("maxBatch", "most mutations in one push", default: "200") { c, v throws(ValueProblem) in
            c.limits.maxBatchSize = try integer(v, in: 1...10_000, unit: "batch size")
        },
        ConfigurationKey("maxPage", "most changes in one pull page", default: "500") { c, v throws(ValueProblem) in
            c.limits.maxPageSize = try integer(v, in: 1...10_000, unit: "page size")
            c.limits.defaultPageSize = min(c.limits.defaultPageSize, c.limits.maxPageSize)
        },
        ConfigurationKey(
            "maxConnections", "open connections served at once (lowered to fit the descriptor limit)", default: "4096"
        ) { c, v throws(ValueProblem) in
            c.connections.maxConnections = try integer(v, in: 1...1_000_000, unit: "number of connections")
        },
        ConfigurationKey("maxConnectionsPerAddress", "open connections from one client address", default: "256") {
            c, v throws(ValueProblem) in
            c.connections.maxConnectionsPerAddress = try integer(v, in: 1...1_000_000, unit: "number of connections")
        },
        ConfigurationKey("maxHeaderBytes", "largest request head in bytes (431 above)", default: "16384") {
            c, v throws(ValueProblem) in
            c.connections.maxHeaderBytes = try integer(v, in: 1_024...(1 << 20), unit: "byte count")
        },
        ConfigurationKey("headerTimeoutSeconds", "time to send a request head (408 after)", default: "10") {
            c, v throws(ValueProblem) in
            c.connections.headerTimeout = .seconds(try integer(v, in: 1...3_600, unit: "number of seconds"))
        },
        ConfigurationKey("bodyTimeoutSeconds", "time to send a request body (408 after)", default: "60") {
            c, v throws(ValueProblem) in
            c.connections.bodyTimeout = .seconds(try integer(v, in: 1...86_400, unit: "number of seconds"))
        },
        ConfigurationKey("idleTimeoutSeconds", "time a connection may wait for a request before it is closed", default: "60") {
            c, v throws(ValueProblem) in
            c.connections.idleTimeout = .seconds(try integer(v, in: 1...86_400, unit: "number of seconds"))
        },
        ConfigurationKey("accessTokenMinutes", "access-token lifetime in minutes", default: "15") {
            c, v throws(ValueProblem) in
            c.accessTokenMinutes = try integer(v, in: 1...1_440, unit: "number of minutes")
        },
        ConfigurationKey("refreshTokenDays", "refresh-token lifetime in days", default: "30") {
            c, v throws(ValueProblem) in
            c.refreshTokenDays = try integer(v, in: 1...365, unit: "number of days")
        },
        ConfigurationKey("leaseHours", "device key lease period in hours", default: "72") { c, v throws(ValueProblem) in
            c.leaseHours = try integer(v, in: 1...2_160, unit: "number of hours")
        },
        ConfigurationKey("loginSlowdownAfter", "failed logins before attempts are delayed", default: "3") {
            c, v throws(ValueProblem) in
            c.loginThrottle.slowdownAfter = try integer(v, in: 1...1_000, unit: "number of attempts")
        },
        ConfigurationKey(
            "loginDelaySeconds", "first delay after throttling starts (doubles each failure)", default: "2"
        ) {
            c, v throws(ValueProblem) in
            c.loginThrottle.baseDelaySeconds = try integer(v, in: 0...3_600, unit: "number of seconds")
        },
        ConfigurationKey("loginMaxDelaySeconds", "longest delay between login attempts", default: "300") {
            c, v throws(ValueProblem) in
            c.loginThrottle.maxDelaySeconds = try integer(v, in: 0...86_400, unit: "number of seconds")
        },
        ConfigurationKey("lockoutAfter", "consecutive failed logins that lock the account", default: "10") {
            c, v throws(ValueProblem) in
            c.loginThrottle.lockoutAfter = try integer(v, in: 1...1_000, unit: "number of attempts")
        },
        ConfigurationKey(
            "loginAddressSlowdownAfter", "failed logins from one client address before its attempts are delayed",
            default: "10"
        ) {
            c, v throws(ValueProblem) in
            c.loginThrottle.addressSlowdownAfter = try integer(v, in: 1...100_000, unit: "number of attempts")
        },
        ConfigurationKey(
            "loginAddressBlockAfter", "failed logins from one client address that block it for a while", default: "30"
        ) {
            c, v throws(ValueProblem) in
            c.loginThrottle.addressBlockAfter = try integer(v, in: 1...100_000, unit: "number of attempts")
        },
        ConfigurationKey("loginAddressBlockMinutes", "how long a blocked client address is refused", default: "60") {
            c, v throws(ValueProblem) in
            c.loginThrottle.addressBlockMinutes = try integer(v, in: 1...10_080, unit: "number of minutes")
        },
        ConfigurationKey(
            "loginFamiliarAddressDays", "days an address stays familiar after a successful login", default: "30"
        ) {
            c, v throws(ValueProblem) in
            c.loginThrottle.familiarAddressDays = try integer(v, in: 1...365, unit: "number of days")
        },
        ConfigurationKey(
            "trustedProxies", "comma-separated proxy addresses whose X-Forwarded-For is believed", default: "(none)"
        ) {
            c, v throws(ValueProblem) in
            c.trustedProxies = try ipAddresses(v)
        },
        ConfigurationKey(
            "passwordHashingThreads", "threads that compute password hashes", default: "max(1, cores/2)"
        ) {
            c, v throws(ValueProblem) in
            c.passwordHashingThreads = try integer(v, in: 1...64, unit: "number of threads")
        },
        ConfigurationKey(
            "logLevel", "lowest log level: trace, debug, info, notice, warning, error, critical", default: "info"
        ) {
            c, v throws(ValueProblem) in
            guard let level = Logger.Level(rawValue: v.lowercased()) else {
                throw ValueProblem(
                    reason: "'\(v)' is not a log level; use trace, debug, info, notice, warning, error or critical")
            }
            c.logLevel = level
        },
        ConfigurationKey("logFormat", "log line format: text, json or logfmt", default: "text") {
            c, v throws(ValueProblem) in
            guard let format = LogFormat(rawValue: v.lowercased()) else {
                throw ValueProblem(reason: "'\(v)' is not a log format; use text, json or logfmt")
            }
            c.logFormat = format
        },
        ConfigurationKey("maintenanceIntervalSeconds", "how often expired tokens are purged", default: "60") {
            c, v throws(ValueProblem) in
            c.maintenanceIntervalSeconds = try integer(v, in: 1...86_400, unit: "number of seconds")
        },
        ConfigurationKey(
            "backupRetention", "admin-API backups kept in backups/ (older ones are deleted; 0 keeps all)",
            default: "14"
        ) {
            c, v throws(ValueProblem) in
            c.backupRetention = try integer(v, in: 0...100_000, unit: "number of backups")
        },
        ConfigurationKey(
            "auditAnchorFile", "append-only file of the audit log's signed heads",
            default: "<dataDir>/audit-anchors.log"
        ) {
            c, v throws(ValueProblem) in
            guard !v.isEmpty else { throw ValueProblem(reason: "the audit anchor file must not be empty; give a path") }
            c.auditAnchorFile = v
        },
        ConfigurationKey(
            "allowAuditAnchorMismatch", "start although the audit log does not match its anchors", default: "false"
        ) {
            c, v throws(ValueProblem) in
            c.allowAuditAnchorMismatch = try boolean(v)
        },
        ConfigurationKey("nodeId", "this instance's clock node id (unique per instance)", default: "<host>-<random>") {
            c, v throws(ValueProblem) in
            let valid = v.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0) }
            guard !v.isEmpty, v.count <= 64, valid, v.unicodeScalars.allSatisfy(\.isASCII) else {
                throw ValueProblem(
                    reason: "'\(v)' is not a node id; give 1 to 64 ASCII letters, digits, '-', '_' or '.', unique per instance")
            }
            c.nodeId = v
        },
        ConfigurationKey("auditKeyFile", "the audit key (shared by every instance)", default: "<dataDir>/audit.key") {
            c, v throws(ValueProblem) in
            guard !v.isEmpty else { throw ValueProblem(reason: "the audit key file must not be empty; give a path") }
            c.auditKeyFile = v
        },
        ConfigurationKey("canaryKeyFile", "the canary secret (shared by every instance)", default: "<dataDir>/canary.key") {
            c, v throws(ValueProblem) in
            guard !v.isEmpty else { throw ValueProblem(reason: "the canary key file must not be empty; give a path") }
            c.canaryKeyFile = v
        },
        ConfigurationKey(
            "database", "the database: empty for SQLite in the data directory, or postgres://USER:PASSWORD@HOST:PORT/DB",
            default: ""
        ) {
            c, v throws(ValueProblem) in
            let trimmed = v.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed == "sqlite" {
                c.database = nil
                return
            }
            do throws(ServerError) {
                _ = try PostgresDatabaseURL(trimmed)
            } catch {
                throw ValueProblem(reason: error.message)
            }
            c.database = trimmed
        },
        ConfigurationKey("databasePoolSize", "PostgreSQL connections this instance opens at most", default: "20") {
            c, v throws(ValueProblem) in
            c.databasePoolSize = try integer(v, in: 2...1_000, unit: "number of connections")
        },
    ]

    private static func integer(_ value: String, in range: ClosedRange<Int>, unit: String) throws(ValueProblem) -> Int {
        guard let number = Int(value.trimmingCharacters(in: .whitespaces)) else {
            throw ValueProblem(
                reason:
                    "'\(value)' is not a whole number; give a \(unit) from \(range.lowerBound) to \(range.upperBound)")
        }
        guard range.contains(number) else {
            throw ValueProblem(
                reason: "\(number) is out of range; give a \(unit) from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    private static func ipAddresses(_ value: String) throws(ValueProblem) -> [String] {
        var addresses: [String] = []
        for part in value.split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            if text.isEmpty { continue }
            guard let address = ClientAddress.normalised(text) else {
                throw ValueProblem(
                    reason:
                        "'\(text)' is not an IP address; list proxy addresses such as 10.0.0.5, ::1 (no names, no ranges)"
                )
            }
            addresses.append(address)
        }
        return addresses
    }

    private static func boolean(_ value: String) throws(ValueProblem) -> Bool {
        switch value.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default: throw ValueProblem(reason: "'\(value)' is not true or false")
        }
    }
}
