import Foundation

/// What a grant or deny rule covers.
public enum GrantTarget: Hashable, Codable, Sendable {
    /// One customer (and its child records).
    case customer(UUID)
    /// Every customer in a segment.
    case segment(CustomerSegment)
    /// Every customer: allowed only for break-glass grants and for deny rules that lock a
    /// person out completely.
    case organisation
}
