import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import RapportAccess
import RapportCrypto
import RapportModels
import RapportServer
import RapportTesting
import ServiceLifecycle

/// A real server on 127.0.0.1 with an ephemeral port, over a fresh data directory, run by a
/// `ServiceGroup` as in production. The test that starts it stops it with ``stop()``.
struct TestServer {
    let services: ServerServices
    let port: Int
    let directory: TemporaryDirectory
    let admin: BootstrapCredential
    private let group: ServiceGroup
    private let task: Task<Void, any Error>
    private let lock: DataDirectoryLock

    /// Starts a server; `configure` adjusts the test configuration (cheap scrypt, port 0).
    static func start(
        configure: (inout ServerConfiguration) -> Void = { _ in }, modules: [any RouteModule] = []
    ) async throws -> TestServer {
        let directory = try TemporaryDirectory(prefix: "rapport-server-test")
        var configuration = ServerConfiguration(port: 0, dataDirectory: directory.path("data"))
        configuration.passwordHashing = .testing
        configuration.logLevel = .warning
        configure(&configuration)
        var logger = Logger(label: "rapport-server-test")
        logger.logLevel = .warning
        let lock = try DataDirectoryLock(DataDirectory(path: configuration.dataDirectory))
        let services = try ServerServices.open(configuration: configuration, logger: logger)
        guard let admin = try await services.identity.bootstrap() else { fatalError("fresh directory must bootstrap") }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try buildApplication(services: services, modules: modules) { port in
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
        return TestServer(
            services: services, port: port, directory: directory, admin: admin, group: group, task: task, lock: lock)
    }

    /// Begins graceful shutdown without waiting.
    func beginShutdown() async {
        await group.triggerGracefulShutdown()
    }

    /// Shuts down gracefully, waits for the server to stop, and removes the data directory.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
        lock.release()
        directory.remove()
    }

    /// Waits for the server to stop (after ``beginShutdown()``) and releases the lock.
    func waitStopped() async throws {
        try await task.value
        lock.release()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// A reply: status, headers and body.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request and collects the reply.
    func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, token: String? = nil,
        streamed: Bool = false
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if streamed {
                let chunks = stride(from: 0, to: body.count, by: 1024).map {
                    ByteBuffer(bytes: body[$0..<min($0 + 1024, body.count)])
                }
                request.body = .stream(chunks.async, length: .unknown)
            } else {
                request.body = .bytes(ByteBuffer(bytes: body))
            }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    /// Sends a JSON-encodable body.
    func post(_ path: String, _ value: some Encodable, token: String? = nil) async throws -> Reply {
        try await send(.POST, path, body: try JSONEncoder().encode(value), token: token)
    }

    /// Creates a member of staff with a login.
    @discardableResult
    func addStaff(
        login: String, password: String = "correct horse battery", roles: Set<RoleID> = [.salesRep],
        status: StaffStatus = .active
    ) async throws -> Staff {
        let team = Team(id: UUID(), name: "Team \(login)")
        try await services.storage.saveTeam(team)
        let staff = Staff(id: UUID(), name: login.capitalized, teamId: team.id, roles: roles, status: status)
        try await services.storage.saveStaff(staff)
        try await services.identity.setPassword(staffId: staff.id, loginName: login, password: password)
        return staff
    }

    /// Signs in and returns the decoded response.
    func login(_ login: String, password: String = "correct horse battery", device: UUID = UUID()) async throws
        -> LoginResponse
    {
        let reply = try await post(
            "/v1/auth/login",
            LoginRequest(
                loginName: login, password: password,
                device: DeviceInfo(id: device, name: "Test phone", platform: "ios")))
        guard reply.status == 200 else {
            throw ServerError(.invalidCredentials, "login failed with \(reply.status): \(reply.text)")
        }
        return try rapportDecoder.decode(LoginResponse.self, from: reply.body)
    }
}

/// Decodes with the project's JSON conventions.
var rapportDecoder: JSONDecoder { RapportJSON.decoder() }

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
