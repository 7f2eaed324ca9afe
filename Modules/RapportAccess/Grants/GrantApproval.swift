import Foundation

/// Where a grant stands with separation of duties.
public enum GrantApproval: Hashable, Codable, Sendable {
    /// The grant is not widening (or the organisation does not require approval).
    case notRequired
    /// A widening grant waiting for a second administrator; it has no effect yet.
    case pending
    /// Approved by a second administrator.
    case approved(by: UUID, at: Date)

    /// Whether the grant may take effect.
    public var isSatisfied: Bool {
        switch self {
        case .notRequired, .approved: true
        case .pending: false
        }
    }
}
