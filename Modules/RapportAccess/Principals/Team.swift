import Foundation

/// A team of staff. Teams form a tree through ``parentId``; a manager sees the customers of
/// their own team and of every team below it.
public struct Team: Sendable, Hashable, Codable, Identifiable {
    /// Stable identifier.
    public var id: UUID
    /// Display name.
    public var name: String
    /// The team above this one, or `nil` for a root team.
    public var parentId: UUID?

    /// Creates a team.
    public init(id: UUID, name: String, parentId: UUID? = nil) {
        self.id = id
        self.name = name
        self.parentId = parentId
    }
}
