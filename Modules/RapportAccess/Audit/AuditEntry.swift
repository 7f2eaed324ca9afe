import Foundation

/// One sealed, append-only audit record. Its ``hash`` covers the previous entry's hash and a
/// canonical binary encoding of every other property, so changing, removing, inserting or
/// reordering entries breaks the chain (see ``AuditChain/verify(_:checkpoints:key:)``).
///
/// Properties are mutable only so that storage can decode entries; any change is detected.
public struct AuditEntry: Hashable, Codable, Sendable {
    /// Position in the log, from 1, without gaps.
    public var sequence: UInt64
    /// When it happened, in milliseconds since 1970 (exact, so the hash is reproducible).
    public var timestampMilliseconds: Int64
    /// The event.
    public var event: AuditEvent
    /// The hash of the entry before (32 zero bytes for the first).
    public var previousHash: [UInt8]
    /// SHA-256 of the canonical encoding (which includes ``previousHash``).
    public var hash: [UInt8]

    /// Creates an entry as stored; use ``AuditChain/append(_:now:)`` to make new ones.
    public init(sequence: UInt64, timestampMilliseconds: Int64, event: AuditEvent, previousHash: [UInt8], hash: [UInt8])
    {
        self.sequence = sequence
        self.timestampMilliseconds = timestampMilliseconds
        self.event = event
        self.previousHash = previousHash
        self.hash = hash
    }

    /// When it happened.
    public var time: Date { Date(timeIntervalSince1970: Double(timestampMilliseconds) / 1_000) }

    /// The hash as lowercase hex.
    public var hashHex: String { hash.map { String(format: "%02x", $0) }.joined() }
}
