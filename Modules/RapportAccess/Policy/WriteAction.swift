/// A write to records of an entity kind.
public enum WriteAction: String, Hashable, Codable, Sendable {
    /// A new record (the new record's customer facts must fall in the writer's scope).
    case create
    /// A change to some fields of an existing record.
    case update
    /// A deletion (tombstone).
    case delete

    var entityAction: EntityActions {
        switch self {
        case .create: .create
        case .update: .update
        case .delete: .delete
        }
    }
}
