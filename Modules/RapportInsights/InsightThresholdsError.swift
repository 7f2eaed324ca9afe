/// A set of ``InsightThresholds`` that cannot be used.
public struct InsightThresholdsError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, as a stable code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable, Hashable {
            case outOfRange
            case inconsistent
        }

        private let value: Value

        private init(_ value: Value) {
            self.value = value
        }

        /// A threshold lies outside its allowed range.
        public static let outOfRange = Code(.outOfRange)
        /// Two thresholds contradict each other (e.g. the key share above the normal share).
        public static let inconsistent = Code(.inconsistent)

        /// The code's name.
        public var description: String { value.rawValue }
    }

    /// The kind of problem.
    public var code: Code
    /// The offending field, as named in ``InsightThresholds``.
    public var field: String
    /// What is wrong and what to do instead.
    public var message: String

    /// Creates an error.
    public init(code: Code, field: String, message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    /// `"<code> <field>: <message>"`.
    public var description: String { "\(code) \(field): \(message)" }
}
