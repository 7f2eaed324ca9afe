import Foundation
import RapportCLISupport

/// What a command needs at run time, made from ``GlobalOptions`` and the environment: the
/// connection (server and credentials resolved as flag → environment → saved session), the
/// terminal and the output mode.
///
/// ```swift
/// try await CommandContext.with(options) { context in
///     let staff = try await context.connection.json(.GET, "/v1/admin/staff")
///     context.emit(staff) { StaffTables.list($0) }
/// }
/// ```
public struct CommandContext: Sendable {
    /// The connection to the server.
    public let connection: AdminConnection
    /// The streams.
    public let terminal: Terminal
    /// Whether to print JSON.
    public let json: Bool
    /// The session store (also when `--token` is used, for `logout`).
    public let store: SessionStore

    /// Resolves the server: `--server`, else `RAPPORT_SERVER`, else the saved session's.
    static func resolveServer(
        _ options: GlobalOptions, saved: Session?, environment: [String: String]
    ) throws(AdminError) -> ServerAddress {
        if let flag = options.server { return try ServerAddress.parse(flag) }
        if let variable = environment["RAPPORT_SERVER"], !variable.isEmpty {
            do {
                return try ServerAddress.parse(variable)
            } catch {
                throw AdminError(.usage, "RAPPORT_SERVER: \(error.message)")
            }
        }
        if let saved { return try ServerAddress.parse(saved.server) }
        throw AdminError(
            .notSignedIn,
            "no server given and no saved session; run `rapport-admin login --server URL`, or pass --server and --token (or set RAPPORT_SERVER and RAPPORT_TOKEN)"
        )
    }

    /// Opens a context for a command that must be signed in, runs `body`, and closes the
    /// connection whatever happens.
    static func with<T: Sendable>(
        _ options: GlobalOptions, authenticated: Bool = true,
        _ body: (CommandContext) async throws -> T
    ) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let store = SessionStore(path: SessionStore.defaultPath(flag: options.sessionFile, environment: environment))
        let token = options.token ?? environment["RAPPORT_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let saved = token == nil ? try store.load() : nil
        let server = try resolveServer(options, saved: saved, environment: environment)
        let credentials: AdminConnection.Credentials
        if !authenticated {
            credentials = .none
        } else if let token {
            credentials = .token(token)
        } else if let saved {
            guard try ServerAddress.parse(saved.server) == server else {
                throw AdminError(
                    .notSignedIn,
                    "the saved session is for \(saved.server), not \(server.url); run `rapport-admin login --server \(server.url)` or pass --token"
                )
            }
            credentials = .session(store, saved)
        } else {
            throw AdminError(
                .notSignedIn,
                "you are not signed in to \(server.url); run `rapport-admin login --server \(server.url)` or pass --token (RAPPORT_TOKEN)"
            )
        }
        let caFile = options.caFile ?? environment["RAPPORT_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let connection = try AdminConnection(server: server, credentials: credentials, caFile: caFile)
        var terminal = Terminal.current
        if options.noColor { terminal.colour = false }
        let context = CommandContext(connection: connection, terminal: terminal, json: options.json, store: store)
        do {
            let result = try await body(context)
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Prints `value` as JSON, or the table `render` makes of it.
    public func emit(_ value: JSONValue, table render: (JSONValue) -> Table) {
        if json {
            terminal.print(value.prettyPrinted())
        } else {
            let table = render(value)
            if table.rows.isEmpty {
                terminal.printError("(none)")
            } else {
                terminal.print(table.render(header: { terminal.styled($0, .bold) }, cell: { _, text in colourise(text) }))
            }
        }
    }

    /// Prints `value` as JSON, or `text` for people.
    public func emit(_ value: JSONValue, text: (JSONValue) -> String) {
        terminal.print(json ? value.prettyPrinted() : text(value))
    }

    /// Prints a field list (`key: value` lines, aligned) or JSON.
    public func emitFields(_ value: JSONValue, _ fields: (JSONValue) -> [(String, String)]) {
        if json {
            terminal.print(value.prettyPrinted())
            return
        }
        let pairs = fields(value)
        let width = pairs.map { Table.displayWidth($0.0) }.max() ?? 0
        terminal.print(
            pairs.map { label, text in
                terminal.styled(label + ":", .bold) + String(repeating: " ", count: width - Table.displayWidth(label) + 1)
                    + colourise(text)
            }.joined(separator: "\n"))
    }

    /// A message for people on stderr (suppressed with `--json` only if it would be noise).
    public func note(_ text: String) {
        terminal.printError(text)
    }

    /// Colours well-known status words.
    func colourise(_ text: String) -> String {
        switch text {
        case "active", "ok", "ready", "intact", "approved", "resolved": terminal.styled(text, .green)
        case "notice", "pending", "medium", "acknowledged": terminal.styled(text, .yellow)
        case "suspended", "revoked", "departed", "high", "critical", "open", "wiped", "broken": terminal.styled(text, .red)
        default: text
        }
    }
}
