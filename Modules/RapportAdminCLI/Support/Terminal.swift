import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's standard streams: whether they are terminals, colour, prompts and passwords.
/// Everything the tool prints goes through here so that results go to stdout and messages,
/// prompts and progress to stderr.
public struct Terminal: Sendable {
    /// Whether stdin is a terminal (prompts are possible).
    public var stdinIsTerminal: Bool
    /// Whether stdout is a terminal (colour and progress are wanted).
    public var stdoutIsTerminal: Bool
    /// Whether stderr is a terminal (progress is shown).
    public var stderrIsTerminal: Bool
    /// Whether to colour output: stdout is a terminal, `NO_COLOR` is unset and `TERM` is not `dumb`.
    public var colour: Bool

    /// The terminal of this process.
    public static var current: Terminal {
        let environment = ProcessInfo.processInfo.environment
        let stdoutTTY = isatty(STDOUT_FILENO) == 1
        let colour =
            stdoutTTY && (environment["NO_COLOR"].map(\.isEmpty) ?? true) && environment["TERM"] != "dumb"
        return Terminal(
            stdinIsTerminal: isatty(STDIN_FILENO) == 1, stdoutIsTerminal: stdoutTTY,
            stderrIsTerminal: isatty(STDERR_FILENO) == 1, colour: colour)
    }

    /// Creates a description of streams (tests pass explicit values).
    public init(stdinIsTerminal: Bool, stdoutIsTerminal: Bool, stderrIsTerminal: Bool, colour: Bool) {
        self.stdinIsTerminal = stdinIsTerminal
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.colour = colour
    }

    /// Writes `text` and a newline to stdout.
    ///
    /// A closed pipe (`rapport-admin audit export | head`) ends the output quietly instead of
    /// trapping: the reader has what it asked for.
    public func print(_ text: String) {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            exit(0)
        }
    }

    /// Writes `text` and a newline to stderr.
    public func printError(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// Shows a progress line on stderr (only on a terminal), overwriting the previous one.
    public func progress(_ text: String) {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    /// Clears the progress line.
    public func endProgress() {
        guard stderrIsTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    /// Asks a question on stderr and reads one line from stdin (`nil` at end of input).
    public func ask(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }

    /// Reads a password from the terminal without echoing it.
    public func askSecret(_ prompt: String) -> String? {
        FileHandle.standardError.write(Data(prompt.utf8))
        var saved = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if haveTerminal {
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSANOW, &silent)
        }
        defer {
            if haveTerminal {
                tcsetattr(STDIN_FILENO, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)
    }

    /// `text` in `style` when colour is on.
    public func styled(_ text: String, _ style: Style) -> String {
        guard colour, !text.isEmpty else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// ANSI styles.
    public enum Style: String, Sendable {
        case bold = "1"
        case dim = "2"
        case red = "31"
        case green = "32"
        case yellow = "33"
        case magenta = "35"
    }
}
