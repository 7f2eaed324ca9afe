import ArgumentParser
import Foundation

/// `rapport-admin login`: signs in to a server as an administrator and saves the session
/// (mode 0600). The password comes from a prompt on a terminal, or from stdin with
/// `--password-stdin` — never from a flag, which other users could see in the process list.
public struct LoginCommand: AsyncParsableCommand {
    /// Help and examples.
    public static let configuration = CommandConfiguration(
        commandName: "login",
        abstract: "Sign in and save the session in a file only you can read.",
        discussion: """
            The session is saved in ~/.config/rapport/admin-session.json (or --session-file, RAPPORT_SESSION_FILE) with mode 0600, and renewed automatically while it lasts. With --context NAME it is saved as that named context (server, CA file, its own session file), which becomes the current one: see `rapport-admin context`.

            Examples:
              rapport-admin login --server https://crm.example.com --login-name grace.admin
              echo "$ADMIN_PASSWORD" | rapport-admin login --server http://127.0.0.1:8080 --login-name admin --password-stdin
              rapport-admin login --context prod --server https://crm.example.com --login-name grace.admin
            """)

    @OptionGroup public var global: GlobalOptions

    /// The login name.
    @Option(name: [.customLong("login-name"), .customLong("user")], help: "Your login name (default: ask).")
    public var loginName: String?

    /// Read the password from stdin.
    @Flag(name: .customLong("password-stdin"), help: "Read the password from stdin (for scripts).")
    public var passwordStdin = false

    /// Creates the command.
    public init() {}

    /// Runs it.
    public func run() async throws {
        let terminal = Terminal.current
        let environment = ProcessInfo.processInfo.environment
        let contexts = ContextStore(path: ContextStore.defaultPath(environment: environment))
        let profile = try contexts.resolve(options: global, environment: environment, creating: true)
        guard
            let serverText = global.server ?? environment["RAPPORT_SERVER"].flatMap({ $0.isEmpty ? nil : $0 })
                ?? profile.entry?.server
        else {
            throw AdminError(
                .usage,
                profile.contextName.map { "the context '\($0)' is new: give its server with --server URL" }
                    ?? "give the server to sign in to: --server URL (or RAPPORT_SERVER)")
        }
        let server = try ServerAddress.parse(serverText)
        guard let login = loginName ?? (terminal.stdinIsTerminal ? terminal.ask("Login name: ") : nil), !login.isEmpty
        else {
            throw AdminError(.usage, "give your login name with --login-name")
        }
        let password: String?
        if passwordStdin {
            password = readLine(strippingNewline: true)
        } else if terminal.stdinIsTerminal {
            password = terminal.askSecret("Password for \(login): ")
        } else {
            throw AdminError(
                .usage, "no terminal to ask for the password on; pipe it in with --password-stdin")
        }
        guard let password, !password.isEmpty else {
            throw AdminError(.usage, "the password is empty; type it at the prompt or pipe it to --password-stdin")
        }
        let store = SessionStore(path: profile.sessionPath)
        let deviceId = try store.deviceId()
        let host = ProcessInfo.processInfo.hostName
        let caFile =
            global.caFile ?? environment["RAPPORT_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? profile.entry?.caFile
        let connection = try AdminConnection(server: server, credentials: .none, caFile: caFile)
        let response: LoginResponseBody
        do {
            response = try await connection.decode(
                LoginResponseBody.self, .POST, "/v1/auth/login",
                body: LoginBody(
                    loginName: login, password: password,
                    device: .init(id: deviceId, name: "rapport-admin on \(host)".prefix(100).description, platform: "cli")),
                authenticated: false)
            await connection.close()
        } catch {
            await connection.close()
            throw Self.explain(error)
        }
        guard response.staff.roles.contains("admin") else {
            // Do not keep a session that cannot use the admin API.
            let signedIn = try AdminConnection(server: server, credentials: .token(response.tokens.accessToken), caFile: caFile)
            _ = try? await signedIn.send(.POST, "/v1/auth/logout")
            await signedIn.close()
            throw AdminError(
                .server,
                "\(login) signed in but is not an administrator; rapport-admin needs an account with the admin role",
                serverCode: "forbidden", httpStatus: 403)
        }
        let session = Session(
            server: server.url, loginName: login, staffId: response.staff.id, staffName: response.staff.name,
            deviceId: response.deviceId, accessToken: response.tokens.accessToken,
            accessTokenExpiresAt: response.tokens.accessTokenExpiresAt, refreshToken: response.tokens.refreshToken,
            refreshTokenExpiresAt: response.tokens.refreshTokenExpiresAt)
        try store.save(session)
        if let name = profile.contextName {
            // Signing in through a context saves it (server, CA file) and makes it current.
            var saved = try contexts.load()
            saved.contexts[name] = ContextStore.Entry(server: server.url, caFile: caFile)
            saved.current = name
            try contexts.save(saved)
        }
        var summary: [String: JSONValue] = [
            "server": .string(server.url), "loginName": .string(login), "staffId": .string(response.staff.id.uuidString),
            "name": .string(response.staff.name), "sessionFile": .string(store.path),
            "sessionExpiresAt": .string(RapportWire.timestamp(response.tokens.refreshTokenExpiresAt)),
        ]
        if let name = profile.contextName { summary["context"] = .string(name) }
        let format = try global.outputFormat(environment: environment)
        if format.isStructured {
            terminal.print(format.render(.object(summary)))
        } else {
            terminal.print(
                "Signed in to \(server.url) as \(response.staff.name) (\(login))\(profile.contextName.map { " in context \($0) (now current)" } ?? ""). Session saved in \(store.path) until \(RapportWire.timestamp(response.tokens.refreshTokenExpiresAt)).")
        }
    }

    static func explain(_ error: AdminError) -> AdminError {
        var error = error
        switch error.serverCode {
        case "invalidCredentials":
            error.message = "wrong login name or password; check both and try again"
        case "accountLocked":
            error.message += " (another administrator can unlock the account)"
        default: break
        }
        return error
    }
}

/// `POST /v1/auth/login` body.
struct LoginBody: Codable, Sendable {
    struct Device: Codable, Sendable {
        var id: UUID
        var name: String
        var platform: String
    }

    var loginName: String
    var password: String
    var device: Device
}

/// The parts of the login answer this tool keeps.
struct LoginResponseBody: Codable, Sendable {
    struct Staff: Codable, Sendable {
        var id: UUID
        var name: String
        var roles: [String]
    }

    var tokens: TokenPairBody
    var staff: Staff
    var deviceId: UUID
}
