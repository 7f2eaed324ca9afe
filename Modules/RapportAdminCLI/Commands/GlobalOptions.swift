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

    /// Print JSON instead of tables.
    @Flag(name: .long, help: "Print JSON (one document; JSON Lines for exports) instead of tables.")
    public var json = false

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
    }
}

/// `--yes` for destructive commands.
public struct ConfirmationOptions: ParsableArguments, Sendable {
    /// Skip the confirmation prompt; required when stdin is not a terminal.
    @Flag(name: [.short, .long], help: "Do not ask for confirmation (required when not on a terminal).")
    public var yes = false

    /// Creates the options.
    public init() {}
}
