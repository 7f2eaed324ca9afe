import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A fault-injecting TCP proxy on 127.0.0.1 between a device and the server, for one HTTP/1.1
/// request per connection (the devices send `Connection: close`).
///
/// The test queues the fault for the next request; the proxy reads the whole request, then
/// either drops the connection before the request reaches the server, or forwards it, reads the
/// server's whole answer and then drops the connection before the answer reaches the device, or
/// forwards only the headers and half of the body (a pull page cut mid-way), or passes it on.
/// It records whether each request reached the server, which is what a history checker needs
/// to know about a request whose answer never arrived.
final class FaultProxy: @unchecked Sendable {
    enum Fault: String, Sendable, CaseIterable {
        case none
        /// The connection drops before the request reaches the server.
        case dropRequest
        /// The server answered; the connection drops before the answer reaches the device.
        case dropResponse
        /// The answer's headers and half its body arrive, then the connection drops.
        case truncateResponse
    }

    /// What happened to one request.
    struct Passage: Sendable {
        var path: String
        var fault: Fault
        var reachedServer: Bool
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var upstreamPort: Int
    private var queued: [Fault] = []
    private var passages: [Passage] = []
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = Self.loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard fd >= 0, bound == 0, listen(fd, 64) == 0 else { throw WireFailure("the fault proxy could not listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Points the proxy at a restarted server.
    func setUpstream(port: Int) { lock.withLock { upstreamPort = port } }

    /// Faults for the next requests, in order; requests beyond them pass.
    func queue(_ faults: [Fault]) { lock.withLock { queued = faults } }

    /// What happened to the requests since the last call.
    func takePassages() -> [Passage] {
        lock.withLock {
            defer { passages = [] }
            return passages
        }
    }

    /// Stops accepting and waits for the accept loop to end.
    func stop() {
        lock.withLock { stopped = true }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        done.wait()
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    private func acceptLoop() {
        defer { done.signal() }
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            // One request at a time: the history is sequential, so this keeps it so.
            serve(client)
            close(client)
        }
    }

    private func serve(_ client: Int32) {
        guard let request = Self.readMessage(client, isResponse: false) else { return }
        let path = Self.requestPath(request.head)
        let (fault, upstreamPort) = lock.withLock {
            (queued.isEmpty ? Fault.none : queued.removeFirst(), self.upstreamPort)
        }
        if fault == .dropRequest {
            record(Passage(path: path, fault: fault, reachedServer: false))
            return
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(upstream) }
        var address = Self.loopback(port: upstreamPort)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0, Self.writeAll(upstream, request.head + request.body),
            let response = Self.readMessage(upstream, isResponse: true)
        else {
            record(Passage(path: path, fault: fault, reachedServer: false))
            return
        }
        record(Passage(path: path, fault: fault, reachedServer: true))
        switch fault {
        case .none: _ = Self.writeAll(client, response.head + response.body)
        case .truncateResponse: _ = Self.writeAll(client, response.head + response.body.prefix(response.body.count / 2))
        case .dropResponse, .dropRequest: break
        }
    }

    private func record(_ passage: Passage) { lock.withLock { passages.append(passage) } }

    private static func requestPath(_ head: [UInt8]) -> String {
        let line = String(decoding: head.prefix { $0 != 13 }, as: UTF8.self)
        return line.split(separator: " ").dropFirst().first.map(String.init) ?? "?"
    }

    /// Reads one HTTP message: the head through the blank line, then a `Content-Length` body,
    /// a chunked body through its last chunk, or (an answer without either) to the end.
    private static func readMessage(_ fd: Int32, isResponse: Bool) -> (head: [UInt8], body: [UInt8])? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        func fill() -> Bool {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return false }
            data += buffer[0..<count]
            return true
        }
        while headEnd == nil {
            guard fill() else { return nil }
            if let range = data.firstRange(of: separator) { headEnd = range.upperBound }
        }
        let head = Array(data[0..<headEnd!])
        let headers = String(decoding: head, as: UTF8.self).lowercased()
        if let line = headers.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
            let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
        {
            while data.count - headEnd! < length { guard fill() else { return nil } }
            return (head, Array(data[headEnd!..<(headEnd! + length)]))
        }
        if headers.contains("transfer-encoding: chunked") {
            let terminator: [UInt8] = [48, 13, 10, 13, 10]
            while !(data.count - headEnd! >= 5 && Array(data.suffix(5)) == terminator) {
                guard fill() else { return nil }
            }
            return (head, Array(data[headEnd!...]))
        }
        guard isResponse else { return (head, []) }
        while fill() {}
        return (head, Array(data[headEnd!...]))
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }
}
