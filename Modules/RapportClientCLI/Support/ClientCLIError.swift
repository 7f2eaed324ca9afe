/// A failure the tool reports itself: one line on stderr saying what to do next, and an exit
/// code (1 failure, 2 usage).
public struct ClientCLIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong and what to do next.
    public var message: String
    /// The exit code: 1 for a failure, 2 for a usage error.
    public var exitCode: Int32

    /// A failure (exit 1).
    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    /// A usage error (exit 2).
    public static func usage(_ message: String) -> ClientCLIError { ClientCLIError(message, exitCode: 2) }

    /// The message.
    public var description: String { message }
}
