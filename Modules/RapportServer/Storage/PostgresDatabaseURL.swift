import Foundation

/// A PostgreSQL connection URL: `postgres://user:password@host:port/database?schema=name`
/// (`postgresql://` too). The port defaults to 5432, the user to `postgres`, the database to
/// the user's name. `schema` (optional) sets the connections' `search_path`, so several
/// databases' worth of tables can share one database (tests use a fresh schema each).
/// Percent-encoded user names and passwords are decoded. TLS is not offered yet: use a
/// loopback or private network, or a TLS-terminating proxy (Docs/ScaleOut.md).
public struct PostgresDatabaseURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var schema: String?

    /// Parses `text`.
    ///
    /// - Throws: ``ServerError/Code/invalidConfiguration`` naming what is wrong.
    public init(_ text: String) throws(ServerError) {
        func invalid(_ why: String) -> ServerError {
            ServerError(
                .invalidConfiguration,
                "the database URL is not usable: \(why); write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw invalid("it is not a URL")
        }
        guard scheme == "postgres" || scheme == "postgresql" else {
            throw invalid("the scheme is '\(scheme)', not postgres")
        }
        guard let host = components.host, !host.isEmpty else { throw invalid("it names no host") }
        self.host = host
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw invalid("the port \(port) is out of range") }
        user = components.user?.removingPercentEncoding ?? "postgres"
        password = components.password?.removingPercentEncoding
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        schema = nil
        for item in components.queryItems ?? [] {
            switch item.name {
            case "schema":
                guard let value = item.value,
                    value.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil
                else { throw invalid("the schema must be a lower-case identifier") }
                schema = value
            case "sslmode" where item.value == "disable":
                break
            default:
                throw invalid("the parameter '\(item.name)' is not supported (only schema and sslmode=disable)")
            }
        }
    }

    /// `host:port/database`, never the password (for messages and logs).
    public var redacted: String { "\(host):\(port)/\(database)" + (schema.map { "?schema=\($0)" } ?? "") }
}
