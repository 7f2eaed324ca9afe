import Foundation
import Logging
import RapportAccess
import RapportCrypto
import RapportProtocol
import RapportServer
import RapportTesting
import ServiceLifecycle

/// A real Rapport server on 127.0.0.1 with an ephemeral port over a fresh data directory, run
/// by a `ServiceGroup` as in production. The test that starts it stops it with ``stop()``.
///
/// Server-side test targets share it; it lives apart from `RapportTesting` so that test
/// targets of the client-side modules do not build Hummingbird and NIO.
///
/// ```swift
/// let server = try await LiveServer.start { $0.limits.maxBatchSize = 2 }
/// defer { … }   // call `try await server.stop()` at the end of the test
/// let ana = try await server.addStaff(login: "ana")
/// ```
public struct LiveServer: Sendable {
    /// The running server's services (storage, identity, audit, …).
    public let services: ServerServices
    /// The bound port.
    public let port: Int
    /// The bound port of the separate metrics listener, when the configuration sets `metricsPort`.
    public private(set) var metricsPort: Int? = nil
    /// The temporary directory holding the data directory.
    public let directory: TemporaryDirectory
    /// The first administrator created on start.
    public let admin: BootstrapCredential
    /// `https` when the configuration has TLS, else `http`.
    public let scheme: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let lock: DataDirectoryLock

    /// Starts a server. `configure` adjusts the configuration after the test defaults
    /// (port 0, cheap scrypt, quiet logs) are set. To start again on the data directory of a
    /// stopped server, set `dataDirectory` to it in `configure` and pass that server's ``admin``
    /// as `admin` (a directory bootstraps only once). `vfs` opens the database through a
    /// registered SQLite VFS (``FaultVFS`` to inject disk faults). With `logSink`, the server
    /// logs through `RapportLogHandler` in `logFormat` to it (one call per line) instead of to
    /// stderr, so a test can read what an operator would.
    public static func start(
        label: String = "rapport-server-test",
        logLevel: Logger.Level = .warning,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        modules: [any RouteModule] = [],
        clock: any SyncWallClock = SystemWallClock(),
        admin previous: BootstrapCredential? = nil,
        vfs: String? = nil,
        logFormat: LogFormat = .text,
        logSink: RapportLogHandler.Sink? = nil
    ) async throws -> LiveServer {
        let directory = try TemporaryDirectory(prefix: label)
        var configuration = ServerConfiguration(port: 0, dataDirectory: directory.path("data"))
        configuration.passwordHashing = .testing
        configuration.logLevel = logLevel
        configure(&configuration)
        var logger =
            if let logSink {
                Logger(label: label) { RapportLogHandler(label: $0, format: logFormat, level: logLevel, sink: logSink) }
            } else {
                Logger(label: label)
            }
        logger.logLevel = logLevel
        let lock = try DataDirectoryLock(DataDirectory(path: configuration.dataDirectory))
        let services = try ServerServices.open(configuration: configuration, logger: logger, clock: clock, vfs: vfs)
        guard let admin = try await services.identity.bootstrap() ?? previous else {
            fatalError("a fresh directory must bootstrap; pass the first start's admin to start again on a used one")
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(services: services, modules: modules) { port in
            continuation.yield(port)
            continuation.finish()
        }
        var running: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: app), .init(service: MaintenanceService(services: services)),
        ]
        let (metricsPorts, metricsContinuation) = AsyncStream.makeStream(of: Int.self)
        if let metrics = buildMetricsApplication(
            services: services,
            onServerRunning: { port in
                metricsContinuation.yield(port)
                metricsContinuation.finish()
            })
        {
            running.append(.init(service: metrics))
        } else {
            metricsContinuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(services: running, gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { fatalError("server did not start") }
        var metricsIterator = metricsPorts.makeAsyncIterator()
        return LiveServer(
            services: services, port: port, metricsPort: await metricsIterator.next(), directory: directory,
            admin: admin, scheme: configuration.tls == nil ? "http" : "https", group: group, task: task, lock: lock)
    }

    /// The server's base URL, e.g. `http://127.0.0.1:40123`.
    public var baseURL: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Begins graceful shutdown without waiting.
    public func beginShutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Waits for the server to stop (after ``beginShutdown()``) and releases the data-directory lock.
    public func waitStopped() async throws {
        try await task.value
        lock.release()
    }

    /// Shuts down gracefully, waits for the server to stop, and removes the data directory.
    public func stop() async throws {
        await beginShutdown()
        try await waitStopped()
        directory.remove()
    }

    /// Creates a member of staff with a login, in `team` or in a new team of their own.
    @discardableResult
    public func addStaff(
        _ name: String? = nil, login: String, password: String = "correct horse battery",
        roles: Set<RoleID> = [.salesRep], status: StaffStatus = .active, team: Team? = nil
    ) async throws -> Staff {
        let name = name ?? login.capitalized
        let team = team ?? Team(id: UUID(), name: "Team of \(name)")
        try await services.storage.saveTeam(team)
        let staff = Staff(id: UUID(), name: name, teamId: team.id, roles: roles, status: status)
        try await services.storage.saveStaff(staff)
        try await services.identity.setPassword(staffId: staff.id, loginName: login, password: password)
        return staff
    }
}
