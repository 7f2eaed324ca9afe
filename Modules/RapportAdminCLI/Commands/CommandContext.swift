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
    /// How to print results (`-o`, `--json`, `RAPPORT_OUTPUT`).
    public let output: OutputFormat
    /// `--fields`: the fields of each record to keep, if given.
    public let fields: FieldSelection?
    /// The session store (also when `--token` is used, for `logout`).
    public let store: SessionStore
    /// Whether this is a `--dry-run` (changes are shown, not sent).
    public let dryRun: Bool

    /// Whether results are printed for machines (any format but the table, or `--fields`
    /// with a structured format). Commands skip lookups that only make tables readable.
    public var json: Bool { output.isStructured }

    /// Resolves the server: `--server`, else `RAPPORT_SERVER`, else the context's, else the saved session's.
    static func resolveServer(
        _ options: GlobalOptions, saved: Session?, environment: [String: String], context: ContextStore.Entry? = nil
    ) throws(AdminError) -> ServerAddress {
        if let flag = options.server { return try ServerAddress.parse(flag) }
        if let variable = environment["RAPPORT_SERVER"], !variable.isEmpty {
            do {
                return try ServerAddress.parse(variable)
            } catch {
                throw AdminError(.usage, "RAPPORT_SERVER: \(error.message)")
            }
        }
        if let context { return try ServerAddress.parse(context.server) }
        if let saved { return try ServerAddress.parse(saved.server) }
        throw AdminError(
            .notSignedIn,
            "no server given and no saved session; run `rapport-admin login --server URL`, or pass --server and --token (or set RAPPORT_SERVER and RAPPORT_TOKEN)"
        )
    }

    /// Opens a context for a command that must be signed in, runs `body`, and closes the
    /// connection whatever happens.
    ///
    /// With `dryRun`, reads go to the server and the first change is not sent: its plan is
    /// printed (in the output format) and the command ends with exit code 0.
    static func with<T: Sendable>(
        _ options: GlobalOptions, authenticated: Bool = true, dryRun: Bool = false,
        _ body: (CommandContext) async throws -> T
    ) async throws -> T {
        let environment = ProcessInfo.processInfo.environment
        let profile = try ContextStore(path: ContextStore.defaultPath(environment: environment))
            .resolve(options: options, environment: environment)
        let store = SessionStore(path: profile.sessionPath)
        let token = options.token ?? environment["RAPPORT_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let saved = token == nil ? try store.load() : nil
        let server = try resolveServer(options, saved: saved, environment: environment, context: profile.entry)
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
        let caFile =
            options.caFile ?? environment["RAPPORT_CA_FILE"].flatMap { $0.isEmpty ? nil : $0 } ?? profile.entry?.caFile
        let connection = try AdminConnection(server: server, credentials: credentials, caFile: caFile, dryRun: dryRun)
        var terminal = Terminal.current
        if options.noColor { terminal.colour = false }
        let context = CommandContext(
            connection: connection, terminal: terminal, output: try options.outputFormat(environment: environment),
            fields: try options.fieldSelection(), store: store, dryRun: dryRun)
        do {
            let result = try await body(context)
            await connection.close()
            return result
        } catch let error as AdminError where error.code == .dryRun {
            await connection.close()
            context.printPlan(error.plan ?? .null)
            throw error
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Asks to confirm a destructive change (``Confirmation/require(_:command:yes:terminal:)``);
    /// in a dry run asks nothing and keeps `question` as the plan's effect instead.
    public func confirm(_ question: String, command: String, _ options: ConfirmationOptions) async throws(AdminError) {
        if dryRun {
            await connection.describeEffect(question)
            return
        }
        try Confirmation.require(question, command: command, yes: options.yes, terminal: terminal)
    }

    /// Prints a structured value in the output format, narrowed by `--fields`.
    ///
    /// - Throws: ``AdminError/Code/usage`` when a `--fields` name matches nothing, listing the
    ///   fields that exist.
    public func printStructured(_ value: JSONValue) throws(AdminError) {
        terminal.print(output.render(try fields.map { (selection) throws(AdminError) in try selection.apply(to: value) } ?? value))
    }

    /// Prints `value` in the output format, or the table `render` makes of it (with `--fields`,
    /// a table of those fields).
    public func emit(_ value: JSONValue, table render: (JSONValue) -> Table) throws(AdminError) {
        if json {
            try printStructured(value)
        } else {
            let table = fields.map { $0.table(of: value) } ?? render(value)
            if table.rows.isEmpty {
                terminal.printError("(none)")
            } else {
                terminal.print(table.render(header: { terminal.styled($0, .bold) }, cell: { _, text in colourise(text) }))
            }
        }
    }

    /// Prints `value` in the output format, or `text` for people.
    public func emit(_ value: JSONValue, text: (JSONValue) -> String) throws(AdminError) {
        if json || fields != nil {
            try emitStructuredOrFields(value)
        } else {
            terminal.print(text(value))
        }
    }

    /// Prints a field list (`key: value` lines, aligned) or the output format.
    public func emitFields(_ value: JSONValue, _ fields: (JSONValue) -> [(String, String)]) throws(AdminError) {
        if json || self.fields != nil {
            try emitStructuredOrFields(value)
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

    private func emitStructuredOrFields(_ value: JSONValue) throws(AdminError) {
        if json {
            try printStructured(value)
        } else if let fields {
            terminal.print(fields.table(of: value).render(header: { terminal.styled($0, .bold) }, cell: { _, text in colourise(text) }))
        }
    }

    /// Prints the plan of a dry run: structured, or as sentences for people.
    func printPlan(_ plan: JSONValue) {
        if json {
            terminal.print(output.render(plan))
            return
        }
        var lines = ["Dry run — nothing was changed."]
        if let effect = plan["effect"]?.text, !effect.isEmpty { lines.append("Would: \(effect)") }
        if let request = plan["request"] {
            lines.append("Request: \(request["method"]?.text ?? "") \(request["path"]?.text ?? "")")
            if let body = request["body"], body != .null { lines.append(body.prettyPrinted()) }
        }
        terminal.print(lines.joined(separator: "\n"))
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
