import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain TCP connection to 127.0.0.1 that sends exactly the bytes a test gives, at the pace
/// it chooses: for attacks no HTTP client would make (idle sockets, a byte a second, oversized
/// heads). Blocking; run it with ``offThread(_:)`` so the server's tasks keep their threads.
///
/// ```swift
/// let reply = try await RawConnection.offThread {
///     let connection = try RawConnection(port: server.port)
///     connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
///     return connection.readUntilClosed(timeout: .seconds(5))
/// }
/// ```
public final class RawConnection: @unchecked Sendable {
    /// The socket.
    public let descriptor: Int32

    /// Connects to 127.0.0.1:`port`.
    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            close(descriptor)
            throw POSIXError(.init(rawValue: code) ?? .ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// Sends `bytes`; `false` if the server closed the connection.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    /// Sends `text` as UTF-8; `false` if the server closed the connection.
    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// Reads what arrives within `timeout`, or until the server closes, or until what arrived
    /// satisfies `enough`; `closed` tells whether the server closed the connection.
    public func read(timeout: Duration, until enough: ([UInt8]) -> Bool = { _ in false }) -> (bytes: [UInt8], closed: Bool) {
        let deadline = ContinuousClock.now + timeout
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let left = deadline - ContinuousClock.now
            if left <= .zero { return (received, false) }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(min(left.components.seconds * 1_000 + left.components.attoseconds / 1_000_000_000_000_000 + 1, 60_000))
            let ready = poll(&poller, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count <= 0 { return (received, true) }
            received += buffer[0..<count]
            if enough(received) { return (received, false) }
        }
    }

    /// Reads until the server closes the connection (or `timeout` passes): the text received and whether it closed.
    public func readUntilClosed(timeout: Duration) -> (text: String, closed: Bool) {
        let (bytes, closed) = read(timeout: timeout)
        return (String(decoding: bytes, as: UTF8.self), closed)
    }

    /// Runs blocking socket work on a thread of its own, so it does not hold one of the few
    /// threads Swift concurrency (and the server under test) runs on.
    public static func offThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try body() })
            }
            thread.start()
        }
    }
}
