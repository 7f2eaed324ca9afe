import Foundation
import RapportAccess
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// Runs the built `rapport-client` executable as a separate process in a private sandbox
/// folder (device folders live in it), with no inherited `RAPPORT_*` variables and
/// stdout/stderr captured in files.
struct ClientCLI {
    /// What a run produced.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as JSON.
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// The sandbox.
    let home: TemporaryDirectory

    init() throws {
        home = try TemporaryDirectory(prefix: "rapport-client-cli")
    }

    /// A device folder in the sandbox.
    func device(_ name: String) -> String { home.path(name) }

    /// The executable: next to the test bundle in the build products directory.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { candidates.append(bundle) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            var current = directory
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("rapport-client")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        throw CLIError(
            "rapport-client is not built next to the test bundle (looked in \(candidates.map(\.path))); build it with `swift build --scratch-path .build-server --product rapport-client` or run `swift build --build-tests`, which builds it"
        )
    }

    struct CLIError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `rapport-client arguments…` with `stdin` as its input; waits for it to exit.
    func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:]) async throws
        -> Outcome
    {
        let executable = try Self.executable()
        let id = UUID().uuidString
        let outPath = home.path("out-\(id)")
        let errPath = home.path("err-\(id)")
        let inPath = home.path("in-\(id)")
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: inPath, contents: Data((stdin ?? "").utf8))
        defer {
            for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) }
        }
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") }
        env["HOME"] = home.url.path
        env["NO_COLOR"] = "1"
        env.merge(extra) { $1 }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = env
        process.currentDirectoryURL = home.url
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let out = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return Outcome(status: status, stdout: out, stderr: err)
    }

    /// Runs a command on device folder `device`.
    func on(_ device: String, _ arguments: [String], stdin: String? = nil) async throws -> Outcome {
        try await run(arguments + ["--dir", self.device(device)], stdin: stdin)
    }

    /// Signs `login` in on device folder `device` with the password on stdin.
    @discardableResult
    func login(_ server: LiveServer, _ login: String, device: String, password: String = "correct horse battery")
        async throws -> Outcome
    {
        try await run(
            [
                "login", "--server", server.baseURL, "--login-name", login, "--password-stdin", "--dir",
                self.device(device),
            ],
            stdin: password + "\n")
    }

    func remove() { home.remove() }
}

/// Starts a server and a CLI sandbox, runs `body`, and stops the server and removes the
/// sandbox whatever happens.
func withClientServer(_ body: (LiveServer, ClientCLI) async throws -> Void) async throws {
    let server = try await LiveServer.start(label: "rapport-client-test")
    let cli: ClientCLI
    do {
        cli = try ClientCLI()
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

/// The first line of stdout (a created record's id).
extension ClientCLI.Outcome {
    var firstLine: String { stdout.split(separator: "\n").first.map(String.init) ?? "" }
}
