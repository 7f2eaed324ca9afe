import Foundation
import RapportServerTesting
import RapportTesting

/// Runs the built `rapport-client` executable as a separate process (``ToolProcess``) in a
/// private sandbox folder (device folders live in it), with no inherited `RAPPORT_*` variables
/// and stdout/stderr captured.
struct ClientCLI {
    /// What a run produced.
    typealias Outcome = ToolProcess.Outcome

    /// The process runner, over the sandbox.
    let tool: ToolProcess

    init() throws {
        tool = ToolProcess(executableName: "rapport-client", home: try TemporaryDirectory(prefix: "rapport-client-cli"))
    }

    /// The sandbox.
    var home: TemporaryDirectory { tool.home }

    /// A device folder in the sandbox.
    func device(_ name: String) -> String { home.path(name) }

    /// Runs `rapport-client arguments…` with `stdin` as its input; waits for it to exit.
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws
        -> Outcome
    {
        try await tool.run(arguments, stdin: stdin, environment: environment)
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
    try await LiveServer.withRunning(label: "rapport-client-test") { server in
        let cli = try ClientCLI()
        defer { cli.remove() }
        try await body(server, cli)
    }
}

/// The first line of stdout (a created record's id).
extension ClientCLI.Outcome {
    var firstLine: String { stdout.split(separator: "\n").first.map(String.init) ?? "" }
}
