import Foundation
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// Runs the built `rapport-admin` executable as a separate process, with a private HOME and
/// session file, no inherited `RAPPORT_*` variables, and stdout/stderr captured in files.
struct AdminCLI {
    /// What a run produced.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout parsed as JSON.
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
        var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// A private directory for HOME and the session file.
    let home: TemporaryDirectory
    /// Extra environment for every run.
    var environment: [String: String] = [:]

    init() throws {
        home = try TemporaryDirectory(prefix: "rapport-admin-home")
    }

    /// The session file each run uses.
    var sessionFile: String { home.path("config/rapport/admin-session.json") }

    /// The executable: next to the test bundle in the build products directory.
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { candidates.append(bundle) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            var current = directory
            for _ in 0..<4 {
                let binary = current.appendingPathComponent("rapport-admin")
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        throw CLIError(
            "rapport-admin is not built next to the test bundle (looked in \(candidates.map(\.path))); build it with `swift build --scratch-path /work/main/.build-server --product rapport-admin` or run `swift test`, which builds it"
        )
    }

    struct CLIError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Runs `rapport-admin arguments…` with `stdin` as its input; waits for it to exit.
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
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("RAPPORT_") }
        env["HOME"] = home.url.path
        env["XDG_CONFIG_HOME"] = home.path("config")
        env["NO_COLOR"] = "1"
        env.merge(environment) { $1 }
        env.merge(extra) { $1 }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = env
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

    /// Signs in as `login` against `server` with the password on stdin; returns the outcome.
    @discardableResult
    func login(_ server: AdminTestServer, login: String? = nil, password: String? = nil, extra: [String] = [])
        async throws -> Outcome
    {
        try await run(
            ["login", "--server", server.url, "--login-name", login ?? server.admin.loginName, "--password-stdin"] + extra,
            stdin: (password ?? server.admin.password) + "\n")
    }

    func remove() { home.remove() }
}
