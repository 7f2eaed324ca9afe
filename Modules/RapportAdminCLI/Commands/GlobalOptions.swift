import ArgumentParser

/// Options every command that talks to the server shares: where the server is, how to
/// authenticate, how to print. Flags win over environment variables, which win over the
/// session saved by `rapport-admin login`.
///
/// ```
/// rapport-admin staff list --server https://crm.example.com --token "$RAPPORT_TOKEN" --json
/// ```
public struct GlobalOptions: ParsableArguments, Sendable {
    /// The server's base URL (`RAPPORT_SERVER`; default: the saved session's server).
    @Option(
        name: .long, help: ArgumentHelp("Server URL, e.g. https://crm.example.com (env: RAPPORT_SERVER).", valueName: "url"))
    public var server: String?

    /// A bearer token to use instead of the saved session (`RAPPORT_TOKEN`), for CI.
    @Option(name: .long, help: ArgumentHelp("Access token to use instead of the saved session (env: RAPPORT_TOKEN).", valueName: "token"))
    public var token: String?

    /// A PEM file of certificate authorities to trust for HTTPS (`RAPPORT_CA_FILE`).
    @Option(
        name: .customLong("ca-file"),
        help: ArgumentHelp("PEM certificate(s) to trust for a server with a private CA (env: RAPPORT_CA_FILE).", valueName: "file"))
    public var caFile: String?

    /// Where the session is saved (`RAPPORT_SESSION_FILE`; default `~/.config/rapport/admin-session.json`).
    @Option(
        name: .customLong("session-file"),
        help: ArgumentHelp(
            "Session file (env: RAPPORT_SESSION_FILE; default ~/.config/rapport/admin-session.json).", valueName: "file"))
    public var sessionFile: String?

    /// Print JSON instead of tables (the same as `-o json`).
    @Flag(name: .long, help: "Print JSON (one document; JSON Lines for exports) instead of tables; same as -o json.")
    public var json = false

    /// `-o table|json|yaml|jsonpath=EXPR` (`RAPPORT_OUTPUT`); see ``OutputFormat``.
    @Option(
        name: [.customShort("o"), .long],
        help: ArgumentHelp(
            "Output format: table (default), json, yaml or jsonpath=EXPR, e.g. -o 'jsonpath={.items[*].name}' (env: RAPPORT_OUTPUT).",
            valueName: "format"))
    public var output: String?

    /// `--fields a,b.c`: keep only these fields of each record (like `gh --json a,b`).
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Keep only these fields of each record, comma-separated (dotted paths allowed); with the table format, print them as columns.",
            valueName: "fields"))
    public var fields: String?

    /// Which server profile to use (`RAPPORT_CONTEXT`; default: the current context, see `rapport-admin context`).
    @Option(
        name: .long,
        help: ArgumentHelp("Named server context to use instead of the current one (env: RAPPORT_CONTEXT).", valueName: "name"))
    public var context: String?

    /// Never colour output (colour is used only on a terminal anyway; `NO_COLOR` works too).
    @Flag(name: .customLong("no-color"), help: "Never colour output (also: NO_COLOR=1).")
    public var noColor = false

    /// Creates the options (argument parsing fills them).
    public init() {}

    /// Checks the server URL's form.
    public func validate() throws {
        if let server {
            do {
                _ = try ServerAddress.parse(server)
            } catch {
                throw ValidationError(error.message)
            }
        }
        do {
            let format = try outputFormat(environment: [:])
            if json, let output, format != .json {
                throw ValidationError("--json and -o \(output) disagree; use one of them")
            }
            _ = try fieldSelection()
            if let context { try ContextStore.validateName(context) }
        } catch let error as AdminError {
            throw ValidationError(error.message)
        }
    }

    /// The output format: `-o`, else `--json`, else `RAPPORT_OUTPUT`, else the table.
    ///
    /// - Throws: ``AdminError/Code/usage`` for an unknown format or a bad JSONPath.
    public func outputFormat(environment: [String: String]) throws(AdminError) -> OutputFormat {
        if let output { return try OutputFormat(parsing: output) }
        if json { return .json }
        if let variable = environment["RAPPORT_OUTPUT"], !variable.isEmpty {
            do {
                return try OutputFormat(parsing: variable)
            } catch {
                throw AdminError(.usage, "RAPPORT_OUTPUT: \(error.message)")
            }
        }
        return .table
    }

    /// The `--fields` selection, if any.
    public func fieldSelection() throws(AdminError) -> FieldSelection? {
        try fields.map { (text) throws(AdminError) in try FieldSelection(parsing: text) }
    }
}

/// `--yes` for destructive commands.
public struct ConfirmationOptions: ParsableArguments, Sendable {
    /// Skip the confirmation prompt; required when stdin is not a terminal.
    @Flag(name: [.short, .long], help: "Do not ask for confirmation (required when not on a terminal).")
    public var yes = false

    /// Show what the command would change and change nothing (reads still go to the server).
    @Flag(name: .customLong("dry-run"), help: "Show what would change (the request and its effect) and change nothing.")
    public var dryRun = false

    /// Creates the options.
    public init() {}
}
