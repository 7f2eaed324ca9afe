import Foundation

// `Process` exists only where a test can start another program.
#if os(macOS) || os(Linux) || os(Windows)

/// Runs a built executable of this package (`rapport-admin`, `rapport-client`, …) as a separate
/// process, the way an operator would: in a private home directory, with no inherited
/// `RAPPORT_*` variables, stdin read from a file and stdout/stderr captured in files.
///
/// The CLI test targets wrap it with their own helpers (signing in, naming device folders).
///
/// ```swift
/// let home = try TemporaryDirectory(prefix: "rapport-admin-home")
/// defer { home.remove() }
/// let tool = ToolProcess(executableName: "rapport-admin", home: home)
/// let outcome = try await tool.run(["login", "--password-stdin"], stdin: "secret\n")
/// #expect(outcome.status == 0, "\(outcome)")
/// ```
public struct ToolProcess: Sendable {
    /// What a run produced.
    public struct Outcome: Sendable, CustomStringConvertible {
        /// The exit status.
        public var status: Int32
        /// Everything written to stdout.
        public var stdout: String
        /// Everything written to stderr.
        public var stderr: String

        /// Creates an outcome.
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        /// stdout parsed as JSON, or `nil` when it is not JSON.
        public var json: Any? { try? JSONSerialization.jsonObject(with: Data(stdout.utf8)) }

        /// The status and both streams, for a failed expectation's message.
        public var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
    }

    /// The executable was not found next to the test bundle.
    public struct NotBuiltError: Error, CustomStringConvertible {
        /// Which executable, where it was looked for, and how to build it.
        public var description: String
    }

    /// The executable's name in the build products directory, e.g. `rapport-admin`.
    public let executableName: String
    /// The private directory each run uses as HOME and as its working directory; the
    /// capture files of a run are made in it and removed after the run.
    public let home: TemporaryDirectory
    /// Extra environment for every run, over the filtered environment of the tests.
    public var environment: [String: String]

    /// Describes how to run `executableName` in `home`, with `environment` added to every run.
    public init(executableName: String, home: TemporaryDirectory, environment: [String: String] = [:]) {
        self.executableName = executableName
        self.home = home
        self.environment = environment
    }

    /// Finds the executable `name` next to the test bundle in the build products directory
    /// (the test bundle's folder or up to three folders above it).
    ///
    /// - Throws: ``NotBuiltError`` when it is not built.
    public static func executable(named name: String) throws -> URL {
        var candidates: [URL] = []
        if let bundle = Bundle.main.executableURL?.deletingLastPathComponent() { candidates.append(bundle) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for directory in candidates {
            var current = directory
            for _ in 0..<4 {
                let binary = current.appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
                current = current.deletingLastPathComponent()
            }
        }
        throw NotBuiltError(
            description:
                "\(name) is not built next to the test bundle (looked in \(candidates.map(\.path))); build it with `swift build --scratch-path .build-server --product \(name)` or `swift build --build-tests`, which builds it"
        )
    }

    /// Runs `executableName arguments…` with `stdin` as its input and waits for it to exit.
    ///
    /// The process sees the tests' environment without `RAPPORT_*` variables, then `HOME` set
    /// to ``home`` and `NO_COLOR=1`, then ``environment``, then `extra` (later ones win).
    public func run(_ arguments: [String], stdin: String? = nil, environment extra: [String: String] = [:])
        async throws -> Outcome
    {
        let executable = try Self.executable(named: executableName)
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
        env.merge(environment) { $1 }
        env.merge(extra) { $1 }
        let handles = [
            try FileHandle(forWritingTo: URL(fileURLWithPath: outPath)),
            try FileHandle(forWritingTo: URL(fileURLWithPath: errPath)),
            try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath)),
        ]
        defer {
            for handle in handles { try? handle.close() }
        }
        let child = try ChildProcess.launch(
            executable: executable, arguments: arguments, environment: env, currentDirectory: home.url.path,
            standardInput: handles[2], standardOutput: handles[0], standardError: handles[1])
        let status = await child.exit().status
        let out = String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self)
        let err = String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self)
        return Outcome(status: status, stdout: out, stderr: err)
    }
}

#endif
