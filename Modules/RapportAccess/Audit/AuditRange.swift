/// A run of audit sequence numbers, both ends included: what a report says is missing or can no
/// longer be trusted (`first…last`).
public struct AuditRange: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The first sequence number of the run.
    public var first: UInt64
    /// The last sequence number of the run (equal to ``first`` for one entry).
    public var last: UInt64

    /// Creates a range; the ends are put in order.
    public init(first: UInt64, last: UInt64) {
        self.first = min(first, last)
        self.last = max(first, last)
    }

    /// `"12–40"`, or `"12"` for one entry.
    public var description: String { first == last ? "\(first)" : "\(first)–\(last)" }
}
