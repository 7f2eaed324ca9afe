import ArgumentParser
import Foundation

/// `--yes` for destructive commands.
public struct ConfirmationOptions: ParsableArguments, Sendable {
    /// Skip the question; required when stdin is not a terminal.
    @Flag(name: [.short, .long], help: "Do not ask for confirmation (required when not on a terminal).")
    public var yes = false

    /// Creates the options.
    public init() {}

    /// Proceeds with `--yes`; asks on a terminal; otherwise a usage error saying to add `--yes`.
    func require(_ question: String, command: String, terminal: Terminal = .current) throws {
        if yes { return }
        guard terminal.stdinIsTerminal else {
            throw ClientCLIError.usage(
                "`\(command)` is destructive and there is no terminal to confirm on; re-run with --yes to confirm")
        }
        let answer = terminal.ask("\(question) [y/N] ")?.trimmingCharacters(in: .whitespaces).lowercased()
        guard answer == "y" || answer == "yes" else { throw ClientCLIError("nothing was changed (not confirmed)") }
    }
}
