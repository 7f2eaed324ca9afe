/// What a role may do with records of one entity kind.
public struct EntityActions: OptionSet, Hashable, Codable, Sendable {
    /// The raw bit mask.
    public var rawValue: UInt8

    /// Creates a set from its bit mask.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Read records in scope.
    public static let read = EntityActions(rawValue: 1 << 0)
    /// Create records (the new record must fall in the creator's scope).
    public static let create = EntityActions(rawValue: 1 << 1)
    /// Change records in scope.
    public static let update = EntityActions(rawValue: 1 << 2)
    /// Delete records in scope.
    public static let delete = EntityActions(rawValue: 1 << 3)
    /// Export records in bulk (files, reports); always audited and quota-limited.
    public static let export = EntityActions(rawValue: 1 << 4)

    /// No action.
    public static let none: EntityActions = []
    /// Read, create and update.
    public static let edit: EntityActions = [.read, .create, .update]
    /// Every action.
    public static let all: EntityActions = [.read, .create, .update, .delete, .export]
}
