import Foundation
import RapportProtocol

/// One accepted write in the server's change log.
public struct ChangeLogEntry: Sendable, Hashable {
    /// The position in the one monotonically increasing server sequence.
    public var sequence: Int64
    /// The record written.
    public var key: RecordKey
    /// The record version the write produced.
    public var version: Int64
    /// The paths whose values changed.
    public var paths: [String]
    /// Whether the write deleted the record.
    public var deleted: Bool
    /// When it was committed (Unix ms), for history expiry.
    public var committedAtMillis: Int64

    /// Creates an entry.
    public init(sequence: Int64, key: RecordKey, version: Int64, paths: [String], deleted: Bool, committedAtMillis: Int64) {
        self.sequence = sequence
        self.key = key
        self.version = version
        self.paths = paths
        self.deleted = deleted
        self.committedAtMillis = committedAtMillis
    }
}
