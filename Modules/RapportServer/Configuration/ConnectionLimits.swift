import Foundation

/// Limits on the HTTP connection itself, before any endpoint sees a request: how many
/// connections, how many from one client address, how large the request head may be and how
/// long a client may take to send it, its body, or nothing at all (`Docs/Operations.md`, "Limits").
///
/// The body size, batch, page and field limits live in ``SyncLimits`` (``ServerConfiguration/limits``).
///
/// ```swift
/// var configuration = ServerConfiguration(port: 0, dataDirectory: dir)
/// configuration.connections.maxConnections = 20
/// configuration.connections.headerTimeout = .milliseconds(500)
/// ```
public struct ConnectionLimits: Sendable, Hashable {
    /// Open connections served at once. Beyond it a connection gets one of the
    /// ``probeConnections`` reserved for `/healthz`, `/readyz` and `/metrics`, or is closed at
    /// once. Lowered at start to stay below the process's descriptor limit. Default 4096.
    public var maxConnections: Int
    /// Open connections from one client address (an IPv6 address counts by its /64) served at
    /// once; a configured trusted proxy is not limited. Default 256.
    public var maxConnectionsPerAddress: Int
    /// Connections kept beyond ``maxConnections`` for health checks and metrics scrapes: each
    /// serves one request to `/healthz`, `/readyz` or `/metrics` and closes; any other request
    /// on it is answered 503 `connectionLimit`. Default 16.
    public var probeConnections: Int
    /// The largest request head (request line and header fields) in bytes; above it the
    /// answer is 431 `headersTooLarge` and the connection closes. Default 16 KiB.
    public var maxHeaderBytes: Int
    /// How long a client may take to send a request head once its first byte arrived; then
    /// 408 `requestTimeout` and the connection closes. Default 10 s.
    public var headerTimeout: Duration
    /// How long a client may take to send a request body after its head; then 408
    /// `requestTimeout` (if no answer was sent yet) and the connection closes. Default 60 s.
    public var bodyTimeout: Duration
    /// How long a connection may stay open without a request before it is closed silently.
    /// Default 60 s.
    public var idleTimeout: Duration

    /// Creates limits; every parameter has the production default.
    public init(
        maxConnections: Int = 4_096, maxConnectionsPerAddress: Int = 256, probeConnections: Int = 16,
        maxHeaderBytes: Int = 16 * 1024, headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(60),
        idleTimeout: Duration = .seconds(60)
    ) {
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.probeConnections = probeConnections
        self.maxHeaderBytes = maxHeaderBytes
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
    }

    /// Descriptors kept free for the database, its journal, backups, logs and the listening
    /// socket when ``maxConnections`` is fitted under the descriptor limit.
    public static let reservedDescriptors = 128

    /// ``maxConnections`` lowered, if needed, so that every connection and probe connection
    /// plus ``reservedDescriptors`` fit under `descriptorLimit` (the soft `RLIMIT_NOFILE`).
    public func effectiveMaxConnections(descriptorLimit: Int) -> Int {
        max(1, min(maxConnections, descriptorLimit - Self.reservedDescriptors - probeConnections))
    }
}
