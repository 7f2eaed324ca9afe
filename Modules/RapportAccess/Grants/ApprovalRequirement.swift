/// What to do with an allowed role change or grant: apply it now, or hold it for a second
/// administrator.
public enum ApprovalRequirement: String, Hashable, Codable, Sendable {
    /// Apply immediately.
    case none
    /// Widening: hold until a different administrator approves.
    case secondAdministrator
}
