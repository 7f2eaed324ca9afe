import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's standard streams. Results go to stdout; messages, prompts and progress to
/// stderr. A closed stdout pipe (`rapport-client customers list | head -1`) ends the output
/// quietly instead of trapping.
public struct Terminal: Sendable {
    /// Whether stdin is a terminal (prompts are possible).
    public var stdinIsTerminal: Bool
    /// Whether stderr is a terminal (progress is redrawn in place).
    public var stderrIsTerminal: Bool

    /// The streams of this process.
    public static var current: Terminal {
        Terminal(stdinIsTerminal: isatty(STDIN_FILENO) == 1, stderrIsTerminal: isatty(STDERR_FILENO) == 1)
    }

    /// Describes streams (tests pass explicit values).
    public init(stdinIsTerminal: Bool, stderrIsTerminal: Bool) {
        self.stdinIsTerminal = stdinIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
    }

    /// Writes `text` and a newline to stdout; exits quietly when the reader has gone.
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

    /// Redraws the progress line on stderr in place (terminal only).
    public func progress(_ text: String) {
        guard stderrIsTerminal else { return }
        try? FileHandle.standardError.write(contentsOf: Data("\r\u{1B}[2K\(text)".utf8))
    }

    /// Clears the progress line (terminal only).
    public func endProgress() {
        guard stderrIsTerminal else { return }
        try? FileHandle.standardError.write(contentsOf: Data("\r\u{1B}[2K".utf8))
    }

    /// Asks on stderr and reads one line from stdin (`nil` at end of input).
    public func ask(_ prompt: String) -> String? {
        try? FileHandle.standardError.write(contentsOf: Data(prompt.utf8))
        return readLine(strippingNewline: true)
    }

    /// Reads a secret from the terminal with echo turned off (termios).
    public func askSecret(_ prompt: String) -> String? {
        try? FileHandle.standardError.write(contentsOf: Data(prompt.utf8))
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
                try? FileHandle.standardError.write(contentsOf: Data("\n".utf8))
            }
        }
        return readLine(strippingNewline: true)
    }
}
