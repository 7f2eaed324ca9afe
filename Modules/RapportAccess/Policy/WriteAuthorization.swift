/// The answer to a write check: the record-level decision and every field refused, by path.
public struct WriteAuthorization: Hashable, Sendable, Codable {
    /// The record-level decision (status, role action, scope, notice period).
    public var record: Decision
    /// Fields that may not be written, with the reason for each.
    public var refusedFields: [String: DecisionReason]

    /// Creates a write decision.
    public init(record: Decision, refusedFields: [String: DecisionReason] = [:]) {
        self.record = record
        self.refusedFields = refusedFields
    }

    /// Whether the whole write may be applied.
    public var isAllowed: Bool { record.isAllowed && refusedFields.isEmpty }
}
