import Foundation
import RapportTesting

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real `rapport-server` process (the built binary) on 127.0.0.1 with an ephemeral port, for
/// tests about processes: locks held by the operating system, exit codes, signals.
///
/// ```swift
/// let server = try await ServerProcess.start(dataDirectory: dir.path("data"))
/// defer { server.kill() }
/// let status = try await server.terminate()   // SIGTERM, then the exit status
/// ```
public final class ServerProcess: @unchecked Sendable {
    /// The running process.
    public let process: ChildProcess
    /// The bound port (0 when the process was started without waiting for it to listen).
    public private(set) var port: Int = 0
    /// Where stdout and stderr are captured.
    private let outPath: String
    private let errPath: String

    /// The process id.
    public var pid: Int32 { process.processIdentifier }
    /// The base URL, e.g. `http://127.0.0.1:40123`.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// Everything the process wrote to stdout so far.
    public var stdout: String { String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self) }
    /// Everything the process wrote to stderr so far (its log).
    public var stderr: String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }

    private init(process: ChildProcess, outPath: String, errPath: String) {
        self.process = process
        self.outPath = outPath
        self.errPath = errPath
    }

    /// Starts `rapport-server serve --host 127.0.0.1 --port 0 --data-dir <dataDirectory> <arguments>`
    /// with no inherited `RAPPORT_*` variables. With `waitUntilListening` it returns once the
    /// log says where it listens, or throws (with the log) if the process exits or `timeout`
    /// passes first.
    public static func start(
        dataDirectory: String, arguments: [String] = [], environment: [String: String] = [:],
        waitUntilListening: Bool = true, timeout: Duration = .seconds(60)
    ) async throws -> ServerProcess {
        let executable = try ToolProcess.executable(named: "rapport-server")
        let id = UUID().uuidString
        let base = FileManager.default.temporaryDirectory.path
        let outPath = base + "/rapport-server-out-\(id)"
        let errPath = base + "/rapport-server-err-\(id)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") }
        env.merge(environment) { $1 }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        defer {
            try? out.close()
            try? err.close()
        }
        let process = try ChildProcess.launch(
            executable: executable,
            arguments: ["serve", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDirectory] + arguments,
            environment: env, standardOutput: out, standardError: err)
        let server = ServerProcess(process: process, outPath: outPath, errPath: errPath)
        if waitUntilListening { try await server.waitUntilListening(timeout: timeout) }
        return server
    }

    /// The process did not start listening.
    public struct NotListening: Error, CustomStringConvertible {
        /// Why, with the process's log.
        public var description: String
    }

    private func waitUntilListening(timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let range = stderr.range(of: #"url=http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
                let port = Int(stderr[range].split(separator: ":").last ?? "")
            {
                self.port = port
                return
            }
            guard process.isRunning else {
                throw NotListening(description: "rapport-server \(process.terminationIfEnded?.description ?? "exited"):\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        kill()
        throw NotListening(description: "rapport-server did not listen within \(timeout):\n\(stderr)")
    }

    /// Waits for the process to exit and returns its status (a signal's number + 128 when
    /// killed by one, as a shell reports it).
    public func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                kill()
                throw NotListening(description: "rapport-server did not exit within \(timeout):\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        switch await process.exit() {
        case .exited(let status): return status
        case .signalled(let signal): return 128 + signal
        }
    }

    /// Sends SIGTERM (graceful shutdown) and returns the exit status.
    public func terminate() async throws -> Int32 {
        process.send(SIGTERM)
        return try await waitForExit()
    }

    /// Sends SIGKILL if the process still runs, and removes the capture files once it exited.
    public func kill() {
        if process.isRunning {
            process.send(SIGKILL)
            process.waitUntilExit()
        }
    }

    deinit {
        process.send(SIGKILL)
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
    }
}
