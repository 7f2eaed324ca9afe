import RapportModels

/// The result of merging one update into the server's record.
public struct FieldMergeOutcome: Sendable, Hashable {
    /// The new value of every path the update touched (some may equal the current value).
    public var values: FieldMap
    /// The clock each touched path now carries.
    public var clocks: [String: HLCTimestamp]
    /// Every lost edit, sorted by field.
    public var conflicts: [FieldConflict]
    /// Whether any touched field had also changed on the server since the client's base
    /// (the mutation is then reported as `merged`).
    public var concurrent: Bool

    /// Creates an outcome.
    public init(values: FieldMap, clocks: [String: HLCTimestamp], conflicts: [FieldConflict], concurrent: Bool) {
        self.values = values
        self.clocks = clocks
        self.conflicts = conflicts
        self.concurrent = concurrent
    }
}
