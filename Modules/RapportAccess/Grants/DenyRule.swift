import Foundation

/// An explicit exclusion. Deny rules win over every role, grant and break-glass access.
public struct DenyRule: Hashable, Codable, Sendable, Identifiable {
    /// Stable identifier.
    public var id: UUID
    /// The person excluded, or `nil` for every member of staff.
    public var staffId: UUID?
    /// The customers excluded (``GrantTarget/organisation`` locks the person out entirely).
    public var target: GrantTarget
    /// Why (shown in the audit log and by `explain`).
    public var reason: String
    /// Who made the rule.
    public var createdBy: UUID
    /// When the rule starts to apply.
    public var createdAt: Date
    /// When it stops applying, or `nil` for never.
    public var expiresAt: Date?

    /// Creates a deny rule.
    public init(
        id: UUID, staffId: UUID?, target: GrantTarget, reason: String, createdBy: UUID, createdAt: Date,
        expiresAt: Date? = nil
    ) {
        self.id = id
        self.staffId = staffId
        self.target = target
        self.reason = reason
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// The half-open interval in which the rule applies.
    public var window: TimeWindow {
        TimeWindow(start: createdAt, end: expiresAt ?? .distantFuture)
    }
}
