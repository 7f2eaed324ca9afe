/// A scenario's check that did not hold: what was expected and what the server did.
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// What went wrong, in one sentence naming the expected and the observed behaviour.
    public var message: String

    /// Creates a failure.
    public init(_ message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}

/// Fails the scenario with `message` unless `condition` holds.
func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(ConformanceFailure) {
    if !condition { throw ConformanceFailure(message()) }
}

/// The value, or a failure saying it was missing.
func require<T>(_ value: T?, _ message: @autoclosure () -> String) throws(ConformanceFailure) -> T {
    guard let value else { throw ConformanceFailure(message()) }
    return value
}
