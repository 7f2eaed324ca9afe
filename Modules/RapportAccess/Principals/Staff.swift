import Foundation

/// A member of staff: the principal every access decision is about.
///
/// A person belongs to exactly one team and holds one or more roles; their permissions are the
/// union of their roles' permissions, bounded by their ``StaffStatus``.
public struct Staff: Sendable, Hashable, Codable, Identifiable {
    /// Stable identifier.
    public var id: UUID
    /// Display name, for administrators.
    public var name: String
    /// The team the person belongs to.
    public var teamId: UUID
    /// The roles the person holds (built-in or custom).
    public var roles: Set<RoleID>
    /// Whether the person is active, serving notice, suspended or gone.
    public var status: StaffStatus

    /// Creates a member of staff.
    public init(id: UUID, name: String, teamId: UUID, roles: Set<RoleID>, status: StaffStatus = .active) {
        self.id = id
        self.name = name
        self.teamId = teamId
        self.roles = roles
        self.status = status
    }

    /// Whether the person holds the built-in administrator role.
    public var isAdmin: Bool { roles.contains(.admin) }
}
