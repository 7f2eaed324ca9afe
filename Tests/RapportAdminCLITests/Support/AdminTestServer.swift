import Foundation
import Logging
import RapportAccess
import RapportCrypto
import RapportServer
import RapportTesting
import ServiceLifecycle

/// A real Rapport server on 127.0.0.1 with an ephemeral port over a fresh data directory, run
/// by a `ServiceGroup` as in production (the approach of RapportServerTests' `TestServer`).
/// The test that starts it stops it with ``stop()``.
struct AdminTestServer {
    let services: ServerServices
    let port: Int
    let directory: TemporaryDirectory
    let admin: BootstrapCredential
    let scheme: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let lock: DataDirectoryLock

    /// Starts a server; `configure` adjusts the configuration (cheap scrypt, port 0 already set).
    static func start(configure: (inout ServerConfiguration) -> Void = { _ in }) async throws -> AdminTestServer {
        let directory = try TemporaryDirectory(prefix: "rapport-admin-test")
        var configuration = ServerConfiguration(port: 0, dataDirectory: directory.path("data"))
        configuration.passwordHashing = .testing
        configuration.logLevel = .error
        configure(&configuration)
        var logger = Logger(label: "rapport-admin-test")
        logger.logLevel = .error
        let lock = try DataDirectoryLock(DataDirectory(path: configuration.dataDirectory))
        let services = try ServerServices.open(configuration: configuration, logger: logger)
        guard let admin = try await services.identity.bootstrap() else { fatalError("a fresh directory must bootstrap") }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(services: services) { port in
            continuation.yield(port)
            continuation.finish()
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: app), .init(service: MaintenanceService(services: services))],
                gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { fatalError("server did not start") }
        return AdminTestServer(
            services: services, port: port, directory: directory, admin: admin,
            scheme: configuration.tls == nil ? "http" : "https", group: group, task: task, lock: lock)
    }

    /// Shuts down gracefully, waits, and removes the data directory.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        lock.release()
        directory.remove()
    }

    var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// Creates a team and a member of staff in it with a login.
    @discardableResult
    func addStaff(
        _ name: String, login: String, password: String = "correct horse battery", roles: Set<RoleID> = [.salesRep],
        team: Team? = nil
    ) async throws -> Staff {
        let team = team ?? Team(id: UUID(), name: "Team of \(name)")
        try await services.storage.saveTeam(team)
        let staff = Staff(id: UUID(), name: name, teamId: team.id, roles: roles)
        try await services.storage.saveStaff(staff)
        try await services.identity.setPassword(staffId: staff.id, loginName: login, password: password)
        return staff
    }

    /// Signs a member of staff in on a new device (as their phone would) and returns the device id.
    @discardableResult
    func signIn(_ login: String, password: String = "correct horse battery", platform: String = "ios") async throws
        -> LoginResponse
    {
        try await services.identity.login(
            LoginRequest(
                loginName: login, password: password,
                device: DeviceInfo(id: UUID(), name: "\(login)'s phone", platform: platform)))
    }
}

/// Starts a server and a CLI sandbox, runs `body`, and stops the server and removes the
/// sandbox whatever happens (a failed `#require` or a cancelled test included).
func withAdminServer(
    configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (AdminTestServer, AdminCLI) async throws -> Void
) async throws {
    let server = try await AdminTestServer.start(configure: configure)
    let cli: AdminCLI
    do {
        cli = try AdminCLI()
    } catch {
        try await server.stop()
        throw error
    }
    do {
        try await body(server, cli)
    } catch {
        try? await server.stop()
        cli.remove()
        throw error
    }
    try await server.stop()
    cli.remove()
}
