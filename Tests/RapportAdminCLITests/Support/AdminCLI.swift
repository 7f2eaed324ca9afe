import Foundation
import RapportServer
import RapportServerTesting
import RapportTesting

/// Runs the built `rapport-admin` executable as a separate process (``ToolProcess``), with a
/// private HOME and session file, no inherited `RAPPORT_*` variables, and stdout/stderr captured.
struct AdminCLI {
    /// What a run produced.
    typealias Outcome = ToolProcess.Outcome

    /// The process runner, over a private directory for HOME and the session file.
    let tool: ToolProcess

    init() throws {
        let home = try TemporaryDirectory(prefix: "rapport-admin-home")
        tool = ToolProcess(
            executableName: "rapport-admin", home: home, environment: ["XDG_CONFIG_HOME": home.path("config")])
    }

    /// The private directory for HOME and the session file.
    var home: TemporaryDirectory { tool.home }

    /// The session file each run uses.
    var sessionFile: String { home.path("config/rapport/admin-session.json") }

    /// Runs `rapport-admin arguments…` with `stdin` as its input; waits for it to exit.
    func run(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws
        -> Outcome
    {
        try await tool.run(arguments, stdin: stdin, environment: environment)
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
