import CoreMetrics
import Foundation
import Metrics
import Prometheus
import RapportModels
import RapportProtocol

/// The server's metrics — `rapport_build_info{version,protocol,build} 1` among them — kept in its own Prometheus registry (not the process-global
/// `MetricsSystem`, so several servers can run in one test process) and served as text at
/// `/metrics`.
///
/// HTTP metrics are recorded by the request middleware. The sync and admin endpoints increment
/// the domain counters:
///
/// ```swift
/// services.metrics.pushes.increment()
/// services.metrics.conflicts.increment(by: response.conflicts.count)
/// ```
public final class ServerMetrics: Sendable {
    /// The registry every metric below lives in.
    public let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory

    /// Accepted push requests (`rapport_sync_pushes_total`).
    public let pushes: CoreMetrics.Counter
    /// Served pull requests (`rapport_sync_pulls_total`).
    public let pulls: CoreMetrics.Counter
    /// Field conflicts reported to clients (`rapport_sync_conflicts_total`).
    public let conflicts: CoreMetrics.Counter
    /// Mutations refused (`rapport_sync_rejections_total`).
    public let rejections: CoreMetrics.Counter
    /// Records evicted from devices (`rapport_sync_evictions_total`).
    public let evictions: CoreMetrics.Counter
    /// Access alerts raised (`rapport_alerts_total`).
    public let alerts: CoreMetrics.Counter
    /// Active devices seen within the lease period (`rapport_active_devices`).
    public let activeDevices: CoreMetrics.Gauge
    /// Failed logins (`rapport_login_failures_total`).
    public let loginFailures: CoreMetrics.Counter
    /// Accounts locked after repeated failures (`rapport_login_lockouts_total`).
    public let lockouts: CoreMetrics.Counter
    /// Client addresses blocked after repeated failed sign-ins (`rapport_login_address_blocks_total`).
    public let addressBlocks: CoreMetrics.Counter
    /// Sign-ins refused unchecked because their address was slowed down or blocked
    /// (`rapport_login_address_refusals_total`).
    public let addressRefusals: CoreMetrics.Counter
    /// Client addresses blocked right now, as of the last maintenance round (`rapport_login_blocked_addresses`).
    public let blockedAddresses: CoreMetrics.Gauge
    /// Refresh tokens presented twice (`rapport_refresh_token_reuse_total`).
    public let refreshTokenReuse: CoreMetrics.Counter
    /// Requests refused with a wipe instruction (`rapport_wipe_instructions_total`).
    public let wipeInstructions: CoreMetrics.Counter

    /// Open connections served, as of the last one opened or closed (`rapport_http_connections`).
    public let openConnections: CoreMetrics.Gauge

    /// Creates the metrics in a fresh registry.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
            .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
        pushes = CoreMetrics.Counter(label: "rapport_sync_pushes_total", factory: factory)
        pulls = CoreMetrics.Counter(label: "rapport_sync_pulls_total", factory: factory)
        conflicts = CoreMetrics.Counter(label: "rapport_sync_conflicts_total", factory: factory)
        rejections = CoreMetrics.Counter(label: "rapport_sync_rejections_total", factory: factory)
        evictions = CoreMetrics.Counter(label: "rapport_sync_evictions_total", factory: factory)
        alerts = CoreMetrics.Counter(label: "rapport_alerts_total", factory: factory)
        activeDevices = CoreMetrics.Gauge(label: "rapport_active_devices", factory: factory)
        loginFailures = CoreMetrics.Counter(label: "rapport_login_failures_total", factory: factory)
        lockouts = CoreMetrics.Counter(label: "rapport_login_lockouts_total", factory: factory)
        addressBlocks = CoreMetrics.Counter(label: "rapport_login_address_blocks_total", factory: factory)
        addressRefusals = CoreMetrics.Counter(label: "rapport_login_address_refusals_total", factory: factory)
        blockedAddresses = CoreMetrics.Gauge(label: "rapport_login_blocked_addresses", factory: factory)
        refreshTokenReuse = CoreMetrics.Counter(label: "rapport_refresh_token_reuse_total", factory: factory)
        wipeInstructions = CoreMetrics.Counter(label: "rapport_wipe_instructions_total", factory: factory)
        openConnections = CoreMetrics.Gauge(label: "rapport_http_connections", factory: factory)
        CoreMetrics.Gauge(
            label: "rapport_build_info",
            dimensions: [
                ("version", RapportVersion.semantic), ("protocol", String(SyncProtocol.currentVersion)),
                ("build", RapportVersion.build),
            ], factory: factory
        ).record(1)
    }

    /// Records one HTTP request: `http_requests_total` and the
    /// `http_request_duration_seconds` histogram, by route template, method and status.
    public func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let dimensions = [("route", route), ("method", method), ("status", String(status))]
        CoreMetrics.Counter(label: "http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "http_request_duration_seconds", dimensions: dimensions, factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// Records a connection over a limit (`rapport_http_connections_limited_total`), by the limit
    /// met (`total`, `address`) and what it got (`probeOnly`: kept for one health check;
    /// `refused`: closed at once).
    public func recordLimitedConnection(reason: String, outcome: String) {
        CoreMetrics.Counter(
            label: "rapport_http_connections_limited_total", dimensions: [("reason", reason), ("outcome", outcome)],
            factory: factory
        ).increment()
    }

    /// Records a connection closed by a limit of the HTTP surface
    /// (`rapport_http_connection_limits_total`), by limit: `headerTimeout`, `bodyTimeout`,
    /// `idleTimeout`, `headersTooLarge`, `probeOnly` (a probe-only connection used for another request).
    public func recordConnectionLimit(_ limit: String) {
        CoreMetrics.Counter(label: "rapport_http_connection_limits_total", dimensions: [("limit", limit)], factory: factory)
            .increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
