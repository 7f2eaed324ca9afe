/// What a grant lets its holder do with the customers it covers. Field classes still follow
/// the holder's roles: a grant widens *which* records, never *which fields*.
public struct GrantPermissions: OptionSet, Hashable, Codable, Sendable {
    /// The raw bit mask.
    public var rawValue: UInt8

    /// Creates permissions from a bit mask.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Read the covered customers.
    public static let read = GrantPermissions(rawValue: 1 << 0)
    /// Change the covered customers (as far as the holder's roles allow writes).
    public static let write = GrantPermissions(rawValue: 1 << 1)
    /// Export the covered customers. Widening: may need a second administrator's approval.
    public static let export = GrantPermissions(rawValue: 1 << 2)
}
