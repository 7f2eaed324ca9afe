import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportTesting

#if canImport(Glibc)
    import Glibc
#endif

/// The built `rapport-server` executable as an operator runs it, on a data directory the test
/// owns and a fixed loopback port, so it can be SIGKILLed and started again on the same data.
final class ServerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let binary: URL
    let dataDirectory: String
    let port: Int
    let logPath: String
    private let lock = NSLock()
    private var process: ChildProcess?

    var baseURL: String { "http://127.0.0.1:\(port)" }

    init(dataDirectory: String, port: Int, logPath: String) throws {
        binary = try ToolProcess.executable(named: "rapport-server")
        self.dataDirectory = dataDirectory
        self.port = port
        self.logPath = logPath
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
    }

    /// Starts the server and waits until `/healthz` answers. Returns the time from the spawn
    /// to the first answer: what an operator waits for after a crash.
    @discardableResult
    func start() async throws -> Duration {
        let started = ContinuousClock.now
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        defer { try? handle.close() }
        handle.seekToEndOfFile()
        let process = try ChildProcess.launch(
            executable: binary,
            arguments: [
                "serve", "--data-dir", dataDirectory, "--port", String(port), "--host", "127.0.0.1", "--log-level",
                "warning",
            ],
            environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") },
            standardOutput: handle, standardError: handle)
        lock.withLock { self.process = process }
        while true {
            if !process.isRunning {
                throw Failure(description: "rapport-server exited during start-up; its log:\n\(logTail())")
            }
            if await healthy() { return ContinuousClock.now - started }
            if ContinuousClock.now - started > .seconds(60) {
                throw Failure(description: "rapport-server did not answer /healthz within 60 s; its log:\n\(logTail())")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// SIGKILL: no shutdown hook, no checkpoint, no flush — what a power cut or the OOM killer does.
    func kill() async {
        await signal(SIGKILL)
    }

    /// SIGTERM and wait: a graceful stop.
    func stop() async {
        await signal(SIGTERM)
    }

    private func signal(_ number: Int32) async {
        guard let process = lock.withLock({ self.process }) else { return }
        process.send(number)
        _ = await process.exit()
        lock.withLock { self.process = nil }
    }

    private func healthy() async -> Bool {
        var request = HTTPClientRequest(url: baseURL + "/healthz")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .milliseconds(500)) else {
            return false
        }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status.code == 200
    }

    /// The last lines the server wrote, for a failure's message.
    func logTail(lines: Int = 40) -> String {
        let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines).joined(separator: "\n")
    }

    /// A loopback port nothing listens on now (bound to port 0, read back, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
