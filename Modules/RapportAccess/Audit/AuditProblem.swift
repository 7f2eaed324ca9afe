/// The first thing ``AuditChain/verify(_:checkpoints:key:)`` found wrong, and where.
public struct AuditProblem: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The kind of tampering. A struct over a private enum so kinds can be added.
    public struct Kind: Hashable, Codable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Codable, Sendable {
            case edited, removed, inserted, reordered, linkBroken, checkpointMismatch, forgedCheckpoint, truncated
            case checkpointMissing, anchorMissing
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// The entry's content no longer matches its hash.
        public static let edited = Kind(.edited)
        /// An entry is missing (a gap in the sequence, or later entries renumbered down).
        public static let removed = Kind(.removed)
        /// An extra entry appeared (a repeated sequence number, or later entries renumbered up).
        public static let inserted = Kind(.inserted)
        /// Entries are out of order.
        public static let reordered = Kind(.reordered)
        /// An entry does not link to the one before: that one was edited and re-hashed, or
        /// entries were removed or inserted between them.
        public static let linkBroken = Kind(.linkBroken)
        /// The chain is self-consistent but disagrees with an authentic checkpoint: the entries
        /// since the previous good checkpoint were rewritten.
        public static let checkpointMismatch = Kind(.checkpointMismatch)
        /// A checkpoint's MAC does not verify under the server key.
        public static let forgedCheckpoint = Kind(.forgedCheckpoint)
        /// A checkpoint seals an entry that is no longer there: the end of the log was cut off.
        public static let truncated = Kind(.truncated)
        /// An anchor outside the database names a checkpoint the database no longer holds:
        /// the checkpoint was deleted.
        public static let checkpointMissing = Kind(.checkpointMissing)
        /// The database holds a checkpoint that the anchor file lacks (or there is no anchor
        /// file at all): the anchor file was cut, replaced or deleted.
        public static let anchorMissing = Kind(.anchorMissing)

        /// The kind's name, e.g. `reordered`.
        public var description: String { base.rawValue }
    }

    /// What is wrong.
    public var kind: Kind
    /// The sequence number where it is: the first entry affected (for a checkpoint problem,
    /// the first entry that may have been rewritten, or the checkpoint's sequence).
    public var sequence: UInt64
    /// What an operator should know and do.
    public var message: String
    /// The entries known to be missing, when the problem is a removal that can be measured
    /// (a cut-off end: from the first entry gone to the newest one an anchor vouches for).
    public var missing: AuditRange?

    /// Creates a problem report.
    public init(kind: Kind, sequence: UInt64, message: String, missing: AuditRange? = nil) {
        self.kind = kind
        self.sequence = sequence
        self.message = message
        self.missing = missing
    }

    /// `reordered at 42: …`.
    public var description: String { "\(kind) at \(sequence): \(message)" }
}
