import Foundation
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// A hostile client on the wire, below any endpoint: it holds many connections, sends its
/// request a byte at a time, never finishes it, or sends heads and bodies larger than any
/// client needs. Each limit answers with its own status and code, closes what it must, and
/// health checks keep answering (`Docs/Operations.md`, "Limits").
///
/// Servers here run with small limits and sub-second timeouts; each wait is bounded generously
/// (seconds) so a slow machine cannot fail them.
@Suite("Attack: hostile input on the HTTP surface")
struct HostileInputAttackTests {
    static let probe = "GET /healthz HTTP/1.1\r\nHost: rapport\r\n\r\n"
    static let signIn = "POST /v1/auth/login HTTP/1.1\r\nHost: rapport\r\nContent-Type: application/json\r\n"

    /// Opens `count` connections that send nothing and keeps them open.
    static func idleConnections(_ count: Int, port: Int) async throws -> [RawConnection] {
        try await RawConnection.offThread { try (0..<count).map { _ in try RawConnection(port: port) } }
    }

    /// Sends `request` on a fresh connection and reads until the server closes it.
    static func exchange(_ request: String, port: Int, timeout: Duration = .seconds(10)) async throws -> (
        text: String, closed: Bool
    ) {
        try await RawConnection.offThread {
            let connection = try RawConnection(port: port)
            connection.send(request)
            return connection.readUntilClosed(timeout: timeout)
        }
    }

    @Test("connections beyond the cap are turned away while health checks answer")
    func connectionFloodKeepsHealthChecksAnswering() async throws {
        let server = try await LiveServer.start {
            $0.connections.maxConnections = 10
            $0.connections.probeConnections = 4
        }
        let flood = try await Self.idleConnections(40, port: server.port)
        // 10 hold every served slot; 4 hold the probe slots until their short idle timeout; the
        // other 26 are closed at once. Wait (at most 10 s) until 30 are closed.
        let closed = try await RawConnection.offThread {
            var closed = Set<Int>()
            let deadline = ContinuousClock.now + .seconds(10)
            while closed.count < 30, ContinuousClock.now < deadline {
                for (index, connection) in flood.enumerated() where !closed.contains(index) {
                    if connection.read(timeout: .milliseconds(5)).closed { closed.insert(index) }
                }
            }
            return closed.count
        }
        #expect(closed == 30)
        let stillOpen = try await RawConnection.offThread {
            flood.filter { !$0.read(timeout: .milliseconds(5)).closed }.count
        }
        #expect(stillOpen == 10)

        // A health check still answers (a probe slot, once the idle probe holders are closed).
        let health = try await Self.exchange(Self.probe, port: server.port)
        #expect(health.text.hasPrefix("HTTP/1.1 200"), "\(health.text)")
        // Any other request over the cap is told why, not left hanging.
        let other = try await Self.exchange(
            "GET /v1/auth/nothing HTTP/1.1\r\nHost: rapport\r\n\r\n", port: server.port)
        #expect(other.text.hasPrefix("HTTP/1.1 503"), "\(other.text)")
        #expect(other.text.contains("\"connectionLimit\""))
        #expect(other.closed)
        let metrics = try await Self.exchange("GET /metrics HTTP/1.1\r\nHost: rapport\r\n\r\n", port: server.port)
        #expect(metrics.text.contains("rapport_http_connections_limited_total"))

        _ = flood
        try await server.stop()
    }

    @Test("one client address cannot take every connection")
    func oneAddressCannotTakeAllSlots() async throws {
        let server = try await LiveServer.start {
            $0.connections.maxConnectionsPerAddress = 5
            $0.connections.probeConnections = 2
        }
        // Five kept-alive connections, each served once (so each surely holds its slot).
        let held = try await RawConnection.offThread {
            try (0..<5).map { _ in
                let connection = try RawConnection(port: server.port)
                connection.send(HostileInputAttackTests.probe)
                let (bytes, _) = connection.read(timeout: .seconds(5)) { String(decoding: $0, as: UTF8.self).hasSuffix("}") }
                #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200"))
                return connection
            }
        }
        let sixth = try await Self.exchange(Self.signIn + "Content-Length: 2\r\n\r\n{}", port: server.port)
        #expect(sixth.text.hasPrefix("HTTP/1.1 503"), "\(sixth.text)")
        #expect(sixth.text.contains("\"connectionLimit\""))
        #expect(sixth.closed)
        let health = try await Self.exchange(Self.probe, port: server.port)
        #expect(health.text.hasPrefix("HTTP/1.1 200"), "\(health.text)")
        _ = held
        try await server.stop()
    }

    /// Sends `opening` at once, then `trickle` a byte every 100 ms, reading between bytes, until
    /// the server closes the connection or the bytes run out: what arrived and whether it closed.
    static func trickle(_ opening: String, _ trickle: [UInt8], port: Int) async throws -> (text: String, closed: Bool) {
        try await RawConnection.offThread {
            let connection = try RawConnection(port: port)
            connection.send(opening)
            var received = ""
            for byte in trickle {
                guard connection.send([byte]) else { break }
                let (bytes, closed) = connection.read(timeout: .milliseconds(100))
                received += String(decoding: bytes, as: UTF8.self)
                if closed { return (received, true) }
            }
            return (received, false)
        }
    }

    @Test("a client sending its request head a byte at a time is answered 408 and closed")
    func slowHeaderClientIsClosed() async throws {
        let server = try await LiveServer.start { $0.connections.headerTimeout = .milliseconds(400) }
        // A byte every 100 ms for up to 14 s: far longer than the 0.4 s header timeout.
        let outcome = try await Self.trickle(
            "", Array("GET /healthz HTTP/1.1\r\nHost: rapport\r\nX-Slow: ".utf8) + Array(repeating: UInt8(ascii: "a"), count: 100),
            port: server.port)
        #expect(outcome.closed, "the slow client was never closed")
        #expect(outcome.text.hasPrefix("HTTP/1.1 408"), "\(outcome.text)")
        #expect(outcome.text.contains("\"requestTimeout\""))
        try await server.stop()
    }

    @Test("a client sending its body a byte at a time is answered 408 and closed")
    func slowBodyClientIsClosed() async throws {
        let server = try await LiveServer.start { $0.connections.bodyTimeout = .milliseconds(500) }
        let outcome = try await Self.trickle(
            Self.signIn + "Content-Length: 200\r\n\r\n{", Array(repeating: UInt8(ascii: " "), count: 100),
            port: server.port)
        #expect(outcome.closed, "the slow client was never closed")
        #expect(outcome.text.hasPrefix("HTTP/1.1 408"), "\(outcome.text)")
        try await server.stop()
    }

    @Test("an idle connection is closed")
    func idleConnectionIsClosed() async throws {
        let server = try await LiveServer.start { $0.connections.idleTimeout = .milliseconds(300) }
        let idle = try await RawConnection.offThread {
            try RawConnection(port: server.port).readUntilClosed(timeout: .seconds(10))
        }
        #expect(idle.closed)
        #expect(idle.text.isEmpty)
        // After a request, the same rule holds between requests.
        let after = try await Self.exchange(Self.probe, port: server.port)
        #expect(after.closed)
        #expect(after.text.hasPrefix("HTTP/1.1 200"))
        try await server.stop()
    }

    @Test("an oversized chunked body to sign-in is answered 413, not read to its end")
    func chunkedOversizedSignInGets413() async throws {
        let server = try await LiveServer.start { $0.limits.maxBodyBytes = 2_048 }
        let chunk = String(repeating: "a", count: 4_096)
        let chunks = String(repeating: "1000\r\n\(chunk)\r\n", count: 100)  // 400 KiB
        let reply = try await Self.exchange(
            Self.signIn + "Transfer-Encoding: chunked\r\n\r\n" + chunks + "0\r\n\r\n", port: server.port,
            timeout: .seconds(30))
        #expect(reply.text.hasPrefix("HTTP/1.1 413"), "\(reply.text.prefix(300))")
        #expect(reply.text.contains("\"bodyTooLarge\""))
        try await server.stop()
    }

    @Test("a body with broken chunk framing is answered 400, not 500")
    func brokenChunkFramingGets400() async throws {
        let server = try await LiveServer.start()
        let reply = try await Self.exchange(
            Self.signIn + "Transfer-Encoding: chunked\r\n\r\n{\"loginName\": \"ana\"}\r\n", port: server.port,
            timeout: .seconds(3))
        #expect(reply.text.hasPrefix("HTTP/1.1 400"), "\(reply.text.prefix(300))")
        #expect(reply.text.contains("\"malformedRequest\""))
        try await server.stop()
    }

    @Test("an oversized request head is answered 431 and closed")
    func oversizedHeaderGets431() async throws {
        let server = try await LiveServer.start { $0.connections.maxHeaderBytes = 4_096 }
        let reply = try await Self.exchange(
            "GET /healthz HTTP/1.1\r\nHost: rapport\r\nX-Big: \(String(repeating: "b", count: 8_192))\r\n\r\n",
            port: server.port)
        #expect(reply.text.hasPrefix("HTTP/1.1 431"), "\(reply.text.prefix(300))")
        #expect(reply.text.contains("\"headersTooLarge\""))
        #expect(reply.closed)
        // A head under the limit is served.
        let fine = try await Self.exchange(
            "GET /healthz HTTP/1.1\r\nHost: rapport\r\nConnection: close\r\nX-Small: \(String(repeating: "b", count: 1_000))\r\n\r\n",
            port: server.port)
        #expect(fine.text.hasPrefix("HTTP/1.1 200"))
        try await server.stop()
    }
}
