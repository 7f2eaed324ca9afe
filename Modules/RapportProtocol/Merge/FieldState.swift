/// The server's bookkeeping for one field of a record: the clock of the edit that set it, the
/// record version and the change-log sequence at which it last changed.
public struct FieldState: Sendable, Hashable, Codable {
    /// The clock of the winning edit.
    public var clock: HLCTimestamp
    /// The record version at which the value last changed.
    public var version: Int64
    /// The change-log sequence at which the value last changed.
    public var sequence: Int64

    /// Creates field state.
    public init(clock: HLCTimestamp, version: Int64, sequence: Int64) {
        self.clock = clock
        self.version = version
        self.sequence = sequence
    }
}
