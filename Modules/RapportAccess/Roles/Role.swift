/// A named permission set with a record scope and default quotas.
///
/// The five built-in roles are in ``Role/builtIns``; administrators add custom roles, e.g. a
/// regional analyst who reads ordinary fields of their team's customers and nothing else.
///
/// ```swift
/// let analyst = Role(
///     id: "analyst", name: "Regional analyst",
///     permissions: PermissionSet(otherEntities: .read, ordinary: FieldClassPermission(read: .full, write: false)),
///     scope: .team, quotas: QuotaLimits(distinctCustomersPerDay: 500, exportsPerDay: 0, sensitiveRevealsPerHour: 0))
/// ```
public struct Role: Hashable, Codable, Sendable, Identifiable {
    /// Stable name.
    public var id: RoleID
    /// Display name.
    public var name: String
    /// What the role may do.
    public var permissions: PermissionSet
    /// Which customers it reaches without a grant.
    public var scope: RecordScope
    /// Default quotas for holders of the role.
    public var quotas: QuotaLimits

    /// Creates a role.
    public init(id: RoleID, name: String, permissions: PermissionSet, scope: RecordScope, quotas: QuotaLimits) {
        self.id = id
        self.name = name
        self.permissions = permissions
        self.scope = scope
        self.quotas = quotas
    }
}
