/// How sync resolves concurrent edits to one field (see `Docs/Models.md`).
public enum MergePolicy: String, Codable, Sendable, CaseIterable, Hashable {
    /// The edit with the later hybrid-logical-clock stamp wins; the other is reported as a conflict.
    case lastWriterWins
    /// Edits are deltas that add up (loyalty points); concurrent edits never conflict.
    case counter
    /// The value is a set; concurrent additions and removals merge element by element.
    case setUnion
    /// Only the server writes the field (version, timestamps, computed tier, receivables);
    /// a client mutation that touches it is refused.
    case serverOnly
    /// The client sets the field when it creates the record and nobody changes it afterwards
    /// (`id`, `customerId`, append-only records); a later change is refused.
    case immutable
}
