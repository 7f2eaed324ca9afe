/// Where a member of staff stands with the organisation; it bounds everything they may do.
///
/// | status | reads | writes | export | unmasking |
/// | --- | --- | --- | --- | --- |
/// | `active` | by role and scope | by role | by role | by role |
/// | `notice` | by role and scope | none (read-only) | none | none |
/// | `suspended` | none | none | none | none |
/// | `departed` | none | none | none | none |
public enum StaffStatus: String, Codable, Sendable, CaseIterable, Hashable {
    /// Working normally.
    case active
    /// Has resigned and is serving notice: read-only, no export, no unmasking, lower alert thresholds.
    case notice
    /// Temporarily barred (by an administrator or by an automatic high-severity alert).
    case suspended
    /// Has left; kept for the audit trail only.
    case departed

    /// Whether the person may be given any access at all.
    public var mayAccess: Bool { self == .active || self == .notice }
}
