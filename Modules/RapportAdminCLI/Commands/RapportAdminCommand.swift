import ArgumentParser
import Foundation
import RapportModels

/// `rapport-admin`: administrators manage staff, teams, roles, grants, devices, the audit log,
/// alerts, canaries and customers through the server's admin API.
///
/// The executable calls ``run(arguments:)``, which maps outcomes to exit codes: 0 success,
/// 1 a failure (reported by the server, or the server unreachable), 2 a usage error.
///
/// ```
/// rapport-admin login --server https://crm.example.com --login-name grace.admin
/// rapport-admin staff list
/// rapport-admin staff offboard ana.lima --reassign-to "Martin Keller" --yes
/// ```
public struct RapportAdminCommand: AsyncParsableCommand {
    /// This tool's version (``RapportVersion/semantic``, the one version source).
    public static let version = RapportVersion.semantic

    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "rapport-admin",
        abstract: "Manage a Rapport server: staff, teams, roles, grants, devices, audit, alerts.",
        discussion: """
            Sign in once with `login`; the session is saved in a file only you can read. In CI, pass --server and --token (or set RAPPORT_SERVER and RAPPORT_TOKEN) instead.

            Output is an aligned table; -o json, -o yaml or -o 'jsonpath={.path}' print for scripts (--json is -o json), and --fields a,b keeps only those fields. Several servers: named contexts (`rapport-admin context`). Destructive commands take --dry-run to show what would change. Exit codes: 0 success, 1 failure (reported by the server, or the server unreachable), 2 usage error. Destructive commands ask for confirmation on a terminal and need --yes otherwise.

            Examples:
              rapport-admin login --server https://crm.example.com --login-name grace.admin
              rapport-admin status
              rapport-admin staff list --status active
              rapport-admin staff offboard "Ana Lima" --reassign-to "Martin Keller" --yes
              rapport-admin audit search --staff "Ana Lima" --since 30d --json
              rapport-admin --generate-completion-script zsh > _rapport-admin
            """,
        version: RapportVersion.line(for: "rapport-admin"),
        subcommands: [
            LoginCommand.self, LogoutCommand.self, ContextCommand.self, StatusCommand.self, VersionCommand.self,
            StaffCommand.self, TeamCommand.self, RoleCommand.self, GrantCommand.self, ChangeCommand.self, DeviceCommand.self,
            AuditCommand.self, AlertCommand.self, CanaryCommand.self, CustomerCommand.self, InsightsCommand.self,
        ])

    /// Creates the command.
    public init() {}

    /// Parses `arguments` (without the program name), runs the command, prints any error to
    /// stderr and returns the exit code: 0, 1 (failure) or 2 (usage).
    public static func run(arguments: [String]) async -> Int32 {
        var wantsJSON = Self.wantsJSON(arguments)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch let error as AdminError where error.code == .dryRun {
            return error.exitCode  // the plan was printed by the command's context
        } catch let error as AdminError {
            report(error, json: wantsJSON)
            return error.exitCode
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { Terminal.current.print(message) }
                return 0
            }
            wantsJSON = false
            if !message.isEmpty { Terminal.current.printError(message) }
            // ArgumentParser's usage and validation errors (EX_USAGE, 64) are our exit code 2.
            return code == .validationFailure ? 2 : code.rawValue == 64 ? 2 : 1
        }
    }

    /// Whether errors should be reported as JSON: `--json`, `-o json` or `--output json`.
    static func wantsJSON(_ arguments: [String]) -> Bool {
        if arguments.contains("--json") || arguments.contains("--output=json") || arguments.contains("-ojson") { return true }
        return zip(arguments, arguments.dropFirst()).contains { ($0 == "-o" || $0 == "--output") && $1 == "json" }
    }

    static func report(_ error: AdminError, json: Bool) {
        if json {
            var body: [String: JSONValue] = ["code": .string(error.code.description), "message": .string(error.message)]
            if let serverCode = error.serverCode { body["serverCode"] = .string(serverCode) }
            if let status = error.httpStatus { body["httpStatus"] = .number(Double(status)) }
            Terminal.current.printError(JSONValue.object(["error": .object(body)]).compact())
        } else {
            Terminal.current.printError("error: \(error.message)")
        }
    }
}
