import Foundation

/// An explicit, expiring exception that widens one person's scope.
///
/// Grants are made with ``AccessPolicy/issueGrant(_:by:customer:now:id:)``, which enforces the rules of
/// separation of duties; the server stores them and builds the next ``AccessPolicy`` snapshot
/// with them. A grant works from ``createdAt`` until the instant before ``expiresAt``: at
/// `now == expiresAt` it no longer works.
public struct AccessGrant: Hashable, Codable, Sendable, Identifiable {
    /// Stable identifier.
    public var id: UUID
    /// The person who receives access.
    public var granteeId: UUID
    /// The customers covered.
    public var target: GrantTarget
    /// What the grantee may do with them.
    public var permissions: GrantPermissions
    /// Ordinary or break-glass.
    public var kind: GrantKind
    /// Why (mandatory; shown in the audit log and to the second approver).
    public var reason: String
    /// Who issued it.
    public var grantorId: UUID
    /// When it was issued.
    public var createdAt: Date
    /// The first instant at which it no longer works.
    public var expiresAt: Date
    /// Second-administrator approval state.
    public var approval: GrantApproval
    /// When it was revoked, if it was.
    public var revokedAt: Date?
    /// Who revoked it.
    public var revokedBy: UUID?

    /// Creates a grant record as stored. Use ``AccessPolicy/issueGrant(_:by:customer:now:id:)`` to make new
    /// grants; this initializer does no validation.
    public init(
        id: UUID, granteeId: UUID, target: GrantTarget, permissions: GrantPermissions = .read,
        kind: GrantKind = .standard, reason: String, grantorId: UUID, createdAt: Date, expiresAt: Date,
        approval: GrantApproval = .notRequired, revokedAt: Date? = nil, revokedBy: UUID? = nil
    ) {
        self.id = id
        self.granteeId = granteeId
        self.target = target
        self.permissions = permissions
        self.kind = kind
        self.reason = reason
        self.grantorId = grantorId
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.approval = approval
        self.revokedAt = revokedAt
        self.revokedBy = revokedBy
    }

    /// Whether the grant works at `now`: approved, issued, not expired, not revoked.
    public func isEffective(at now: Date) -> Bool {
        approval.isSatisfied && effectiveWindow.contains(now)
    }

    /// The half-open interval in which the grant works (ignoring approval).
    public var effectiveWindow: TimeWindow {
        TimeWindow(start: createdAt, end: min(expiresAt, revokedAt ?? expiresAt))
    }

    /// Whether the grant widens access enough to need a second administrator (export or
    /// break-glass).
    public var isWidening: Bool {
        kind == .breakGlass || permissions.contains(.export)
    }
}
