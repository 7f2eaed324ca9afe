import Logging
import RapportServer

extension LiveServer {
    /// Starts a server, runs `body` with it, and stops it whatever happens — a thrown error, a
    /// failed `#require` or a cancelled test included. Parameters are those of
    /// ``start(label:logLevel:configure:modules:)``.
    ///
    /// An error from `body` is rethrown (a failure to stop after it is dropped); after a
    /// `body` that succeeds, a failure to stop is thrown.
    ///
    /// ```swift
    /// try await LiveServer.withRunning(label: "rapport-client-test") { server in
    ///     let ana = try await server.addStaff(login: "ana")
    ///     …
    /// }
    /// ```
    public static func withRunning(
        label: String = "rapport-server-test",
        logLevel: Logger.Level = .warning,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        modules: [any RouteModule] = [],
        _ body: (LiveServer) async throws -> Void
    ) async throws {
        let server = try await start(label: label, logLevel: logLevel, configure: configure, modules: modules)
        do {
            try await body(server)
        } catch {
            try? await server.stop()
            throw error
        }
        try await server.stop()
    }
}
