/// The result of verifying an audit log.
public struct AuditVerification: Hashable, Codable, Sendable {
    /// The first problem found, or `nil` when the log is intact.
    public var problem: AuditProblem?
    /// How many entries were checked.
    public var entriesChecked: Int
    /// The highest sequence number sealed by an authentic checkpoint that matched.
    public var lastCheckpointVerified: UInt64?

    /// Creates a result.
    public init(problem: AuditProblem?, entriesChecked: Int, lastCheckpointVerified: UInt64?) {
        self.problem = problem
        self.entriesChecked = entriesChecked
        self.lastCheckpointVerified = lastCheckpointVerified
    }

    /// Whether no problem was found.
    public var isIntact: Bool { problem == nil }
}
