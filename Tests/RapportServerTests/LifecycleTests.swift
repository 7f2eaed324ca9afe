import Foundation
import Hummingbird
import NIOHTTP1
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A route that waits for the test to release it, to hold a request in flight.
struct GateRoutes: RouteModule {
    let entered: AsyncStream<Void>.Continuation
    let release: AsyncStream<Void>

    func register(in groups: RouteGroups) {
        groups.public.get("test/gate") { _, _ in
            entered.yield()
            for await _ in release { break }
            return try Response.json(["finished": true])
        }
    }
}

@Suite("Graceful shutdown")
struct LifecycleTests {
    @Test func inFlightRequestCompletesDuringShutdown() async throws {
        let (entered, enteredContinuation) = AsyncStream.makeStream(of: Void.self)
        let (release, releaseContinuation) = AsyncStream.makeStream(of: Void.self)
        let server = try await TestServer.start(modules: [GateRoutes(entered: enteredContinuation, release: release)])
        let inFlight = Task { try await server.send(.GET, "/v1/test/gate") }
        for await _ in entered { break }
        await server.beginShutdown()
        releaseContinuation.yield()
        let reply = try await inFlight.value
        #expect(reply.status == 200)
        #expect(reply.json["finished"] as? Bool == true)
        try await server.waitStopped()
        // Nothing listens any more (a raw connect, since HTTP clients retry refused connections).
        #expect(!isListening(port: server.port))
        server.directory.remove()
    }
}

/// Whether a TCP connect to 127.0.0.1:`port` succeeds.
func isListening(port: Int) -> Bool {
    (try? RawConnection(port: port)) != nil
}
