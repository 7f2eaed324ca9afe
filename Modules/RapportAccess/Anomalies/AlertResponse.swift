import Foundation

/// What the server should do about a set of alerts.
public struct AlertResponse: Hashable, Codable, Sendable {
    /// Whether to suspend the person now (high or critical alert and
    /// ``AccessSettings/autoSuspendOnHighAlert``).
    public var suspend: Bool
    /// The most serious alert, if any.
    public var highestSeverity: AlertSeverity?

    /// Creates a response.
    public init(suspend: Bool, highestSeverity: AlertSeverity?) {
        self.suspend = suspend
        self.highestSeverity = highestSeverity
    }
}
