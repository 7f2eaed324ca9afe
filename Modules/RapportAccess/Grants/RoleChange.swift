import Foundation

/// A request to change someone's roles, checked by ``AccessPolicy/checkRoleChange(_:by:)``.
public struct RoleChange: Hashable, Codable, Sendable {
    /// The person whose roles change.
    public var staffId: UUID
    /// Roles to add.
    public var adding: Set<RoleID>
    /// Roles to remove.
    public var removing: Set<RoleID>

    /// Creates a role change.
    public init(staffId: UUID, adding: Set<RoleID> = [], removing: Set<RoleID> = []) {
        self.staffId = staffId
        self.adding = adding
        self.removing = removing
    }
}
