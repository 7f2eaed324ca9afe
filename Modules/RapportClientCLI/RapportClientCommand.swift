import ArgumentParser
import Foundation
import RapportClient
import RapportConformance
import RapportModels
import RapportProtocol
import RapportStore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `rapport-client`: plays a Rapport device from the terminal — sign in, edit the encrypted
/// local copy offline, sync, see conflicts — or many devices at once (`simulate`).
///
/// The executable calls ``run(arguments:)``, which maps outcomes to exit codes: 0 success,
/// 1 a failure (printed as one line on stderr saying what to do next), 2 a usage error.
///
/// ```
/// rapport-client login --server https://crm.example.com --login-name ana.rep
/// rapport-client create --name "王芳" --phone 13800138000
/// rapport-client sync
/// rapport-client customers list --owner me
/// ```
public struct RapportClientCommand: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "rapport-client",
        abstract: "Play a Rapport device from the terminal: edit offline, sync, see conflicts.",
        discussion: """
            Every command works on a device folder (--dir, env RAPPORT_CLIENT_DIR, default ./rapport-device) holding the encrypted store and the session. Only login, sync, logout, simulate and conformance talk to the server; everything else works offline.

            Output is an aligned table or plain lines; add --json for JSON. Exit codes: 0 success, 1 failure, 2 usage error.

            Examples:
              echo "$PASSWORD" | rapport-client login --server http://127.0.0.1:8080 --login-name ana.rep --password-stdin
              rapport-client create --name "Wang Fang" --phone 13800138000
              rapport-client edit 3f2a --set name="Wang Fang" --set tags='["vip"]'
              rapport-client sync
              rapport-client conflicts
              rapport-client simulate --server http://127.0.0.1:8080 --devices 8 --duration 30
              RAPPORT_ADMIN_PASSWORD=… rapport-client conformance --server http://127.0.0.1:8080
            """,
        version: RapportVersion.line(for: "rapport-client"),
        subcommands: [
            LoginCommand.self, LogoutCommand.self, SyncCommand.self, StatusCommand.self, CustomersCommand.self,
            EditCommand.self, CreateCommand.self, DeleteCommand.self, LogInteractionCommand.self, ComplaintCommand.self,
            ConflictsCommand.self, SimulateCommand.self, ConformanceCommand.self,
        ])

    /// Creates the command.
    public init() {}

    /// Parses `arguments` (without the program name), runs the command, prints any error as
    /// one line on stderr and returns the exit code: 0, 1 (failure) or 2 (usage).
    public static func run(arguments: [String]) async -> Int32 {
        // A reader that goes away (`| head`) makes writes fail with EPIPE, which
        // `Terminal.print` turns into a quiet exit, instead of killing the process.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            return 0
        } catch {
            let (message, code) = describe(error)
            if code == 0 {
                if !message.isEmpty { Terminal.current.print(message) }
            } else if !message.isEmpty {
                Terminal.current.printError(message)
            }
            return code
        }
    }

    /// The line to print and the exit code for `error`.
    static func describe(_ error: any Error) -> (message: String, code: Int32) {
        switch error {
        case let error as ClientCLIError:
            return ("error: \(error.message)", error.exitCode)
        case let error as ClientError:
            return ("error: \(message(for: error))", 1)
        case let error as SyncError:
            return ("error: \(message(for: error))", 1)
        case let error as StoreError:
            return ("error: the local store: \(error.message); if it persists, sign out and in again to rebuild it", 1)
        case let error as RapportModels.ValidationError:
            return ("error: \(error.message)", 1)
        default:
            let code = exitCode(for: error)
            let text = fullMessage(for: error)
            if code == .success { return (text, 0) }
            // ArgumentParser's usage and validation errors (EX_USAGE, 64) are exit code 2.
            return (text, code == .validationFailure || code.rawValue == 64 ? 2 : 1)
        }
    }

    static func message(for error: ClientError) -> String {
        switch error.code {
        case .wiped:
            "this device was wiped on the server's instruction: \(error.message); its local data is gone — sign in again (rapport-client login) if you are still allowed to"
        case .unreachable: "\(error.message)"
        default: error.message
        }
    }

    static func message(for error: SyncError) -> String {
        switch error.code {
        case .transport:
            "\(error.message) (nothing is lost; run rapport-client sync again when the server is reachable)"
        case .unauthorized:
            "\(error.message) (the session has ended; sign in again with rapport-client login — local edits are kept)"
        default: error.message
        }
    }
}
