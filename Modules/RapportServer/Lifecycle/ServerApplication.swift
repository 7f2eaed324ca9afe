import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import RapportProtocol

/// The Hummingbird application type the server runs.
public typealias RapportApplication = Application<RouterResponder<RapportRequestContext>>

/// Builds the HTTP application: connection limits (``ConnectionLimits``: connection caps with
/// slots reserved for health checks, header size, idle and slow-client timeouts), middleware
/// (request ids, logs, metrics, body limit, JSON errors), `/healthz`, `/readyz`, `/metrics`, the `/v1/auth/...` endpoints, the admin backup
/// endpoint, and every extra `module` (sync, admin API).
///
/// ```swift
/// let services = try ServerServices.open(configuration: configuration, logger: logger)
/// let app = try buildApplication(services: services) { port in print("listening on \(port)") }
/// try await app.runService()
/// ```
///
/// - Parameters:
///   - services: storage, identity, metrics and configuration (host, port, TLS).
///   - modules: further endpoints, registered after the built-in ones.
///   - onServerRunning: called with the bound port once the server listens (port 0 → real port).
/// - Throws: ``ServerError/Code/invalidConfiguration`` if the TLS files cannot be loaded.
public func buildApplication(
    services: ServerServices, modules: [any RouteModule] = [],
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) throws(ServerError) -> RapportApplication {
    let configuration = services.configuration
    let router = buildRouter(services: services, modules: modules)
    var logger = services.logger
    logger.logLevel = configuration.logLevel
    let connections = configuration.connections
    let descriptors = DescriptorLimit.current.soft
    let maxConnections = connections.effectiveMaxConnections(descriptorLimit: descriptors)
    if maxConnections < connections.maxConnections {
        logger.warning(
            "maxConnections lowered to fit the open-file limit; raise the limit (ulimit -n, LimitNOFILE=) to serve more",
            metadata: [
                "maxConnections": "\(connections.maxConnections)", "effective": "\(maxConnections)",
                "openFileLimit": "\(descriptors)",
            ])
    }
    let limiter = ConnectionLimiter(
        maxConnections: maxConnections, maxPerAddress: connections.maxConnectionsPerAddress,
        probeConnections: connections.probeConnections, unlimitedAddresses: Set(configuration.trustedProxies))
    let http1 = HTTPServerBuilder.guardedHTTP1(
        limits: connections, maxBodyBytes: configuration.limits.maxBodyBytes, limiter: limiter,
        metrics: services.metrics, logger: logger)
    let server: HTTPServerBuilder
    if let tls = configuration.tls {
        do {
            let chain = try NIOSSLCertificate.fromPEMFile(tls.certificatePath).map {
                NIOSSLCertificateSource.certificate($0)
            }
            let key = try NIOSSLPrivateKey(file: tls.privateKeyPath, format: .pem)
            let tlsConfiguration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain, privateKey: NIOSSLPrivateKeySource.privateKey(key))
            server = try .tls(http1, tlsConfiguration: tlsConfiguration)
        } catch {
            throw ServerError(
                .invalidConfiguration,
                "cannot load the TLS certificate '\(tls.certificatePath)' or key '\(tls.privateKeyPath)'; give PEM files (tlsCertificate / tlsKey)",
                cause: error)
        }
    } else {
        server = http1
    }
    return Application(
        router: router, server: server,
        configuration: .init(
            address: .hostname(configuration.host, port: configuration.port), serverName: "rapport-server"),
        services: [AuditCheckpointService(audit: services.audit, logger: logger)],
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger)
}

/// Builds the separate metrics listener (`metricsPort`, `metricsHost`): plain HTTP, `GET /metrics`
/// only, so the API's listener need not expose it. `nil` when `metricsPort` is not set.
///
/// - Parameters:
///   - services: the running server's services (their ``ServerMetrics`` are served).
///   - onServerRunning: called with the bound port once it listens (port 0 → real port).
public func buildMetricsApplication(
    services: ServerServices, onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) -> Application<RouterResponder<BasicRequestContext>>? {
    let configuration = services.configuration
    guard let port = configuration.metricsPort else { return nil }
    let router = Router()
    HealthRoutes.registerMetrics(on: router, metrics: services.metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.metricsHost, port: port), serverName: "rapport-server"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: services.logger)
}

/// Builds the router of ``buildApplication(services:modules:onServerRunning:)``: middleware,
/// health and metrics, built-in `/v1` endpoints, then `modules`. Its `routes` list every
/// endpoint (a test checks them against `Docs/openapi.yaml`).
public func buildRouter(services: ServerServices, modules: [any RouteModule] = []) -> Router<RapportRequestContext> {
    let configuration = services.configuration
    let router = Router(context: RapportRequestContext.self)
    router.add(
        middleware: ObservabilityMiddleware(metrics: services.metrics, maxBodyBytes: configuration.limits.maxBodyBytes))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: CompressionMiddleware())
    HealthRoutes().register(on: router, services: services)

    let v1 = router.group("v1").add(middleware: LoginAuditMiddleware(services: services))
    let authenticated = router.group("v1").add(middleware: BearerAuthenticator(identity: services.identity))
        .add(middleware: IdentityLoggingMiddleware())
        .add(middleware: ActivityMiddleware(monitor: services.activity))
    let admin = router.group("v1/admin").add(middleware: BearerAuthenticator(identity: services.identity))
        .add(middleware: IdentityLoggingMiddleware())
        .add(middleware: ActivityMiddleware(monitor: services.activity)).add(middleware: AuthorizationPolicyMiddleware.administratorsOnly)
        .add(middleware: AdminUnitOfWorkMiddleware(storage: services.storage))
    let groups = RouteGroups(public: v1, authenticated: authenticated, admin: admin, services: services)
    let builtIn: [any RouteModule] = [InfoRoutes(), AuthRoutes(), BackupRoutes(), SyncRoutes()] + AdminRoutes.all
    for module in builtIn + modules {
        module.register(in: groups)
    }
    // Last: it wraps only the not-found responder, turning a known path's wrong method into 405.
    router.add(
        middleware: MethodNotAllowedMiddleware(
            routes: router.routes.map { (path: $0.path.description, method: $0.method.rawValue) }))

    return router
}
