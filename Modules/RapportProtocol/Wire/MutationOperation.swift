/// What a client mutation does to its record.
public enum MutationOperation: String, Codable, Sendable, Hashable, CaseIterable {
    /// The record is new; `fields` holds every non-null field and `baseVersion` is 0.
    case create
    /// Some fields changed; `fields` holds only those.
    case update
    /// The record was deleted; `fields` is empty.
    case delete
}
