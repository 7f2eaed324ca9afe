import Foundation

/// The rule for destructive commands (offboard, wipe, revoke, role changes that widen access):
/// `--yes` proceeds; on a terminal the person is asked and must answer `yes`; otherwise the
/// command refuses with a usage error that says to add `--yes`.
///
/// ```swift
/// try Confirmation.require("Offboard Ana Lima?", command: "staff offboard", yes: options.yes,
///                          terminal: .current)
/// ```
public enum Confirmation {
    /// The outcome of the rule before any prompting.
    public enum Decision: Sendable, Hashable {
        /// Go ahead without asking.
        case proceed
        /// Ask on the terminal.
        case ask
        /// Refuse: no terminal to ask on and no `--yes`.
        case refuse
    }

    /// What to do given `--yes` and whether stdin is a terminal.
    public static func decide(yes: Bool, interactive: Bool) -> Decision {
        if yes { return .proceed }
        return interactive ? .ask : .refuse
    }

    /// Whether `answer` confirms (`y` or `yes`, any case).
    public static func isAffirmative(_ answer: String?) -> Bool {
        guard let answer = answer?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
        return answer == "y" || answer == "yes"
    }

    /// Applies the rule.
    ///
    /// - Parameters:
    ///   - question: what will happen, e.g. "Revoke device 3f2… of Ana Lima?".
    ///   - command: the command's name for the message, e.g. `device wipe`.
    /// - Throws: ``AdminError/Code/usage`` without a terminal and without `--yes`;
    ///   ``AdminError/Code/declined`` if the answer was not yes.
    public static func require(_ question: String, command: String, yes: Bool, terminal: Terminal) throws(AdminError) {
        switch decide(yes: yes, interactive: terminal.stdinIsTerminal) {
        case .proceed:
            return
        case .refuse:
            throw AdminError(
                .usage,
                "`\(command)` is destructive and there is no terminal to confirm on; re-run with --yes to confirm")
        case .ask:
            guard isAffirmative(terminal.ask("\(question) [y/N] ")) else {
                throw AdminError(.declined, "nothing was changed (not confirmed)")
            }
        }
    }
}
