import Foundation

/// A request to give someone access, checked by ``AccessPolicy/issueGrant(_:by:customer:now:id:)``.
public struct GrantRequest: Hashable, Codable, Sendable {
    /// The person to receive access.
    public var granteeId: UUID
    /// The customers to cover.
    public var target: GrantTarget
    /// What the grantee may do.
    public var permissions: GrantPermissions
    /// Ordinary or break-glass.
    public var kind: GrantKind
    /// Why; mandatory.
    public var reason: String
    /// How long; `nil` takes the default for the kind (7 days, or 4 hours for break-glass).
    public var duration: TimeInterval?

    /// Creates a grant request.
    public init(
        granteeId: UUID, target: GrantTarget, permissions: GrantPermissions = .read, kind: GrantKind = .standard,
        reason: String, duration: TimeInterval? = nil
    ) {
        self.granteeId = granteeId
        self.target = target
        self.permissions = permissions
        self.kind = kind
        self.reason = reason
        self.duration = duration
    }
}
