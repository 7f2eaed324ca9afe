import Foundation
import RapportCrypto

/// The head of the append-only, hash-chained audit log, and its verifier.
///
/// The server keeps one `AuditChain` in memory, appends every event through it, stores the
/// returned entries, and every ``checkpointInterval`` entries stores a ``AuditCheckpoint`` made
/// from this head with the server's audit key. ``verify(_:checkpoints:key:)`` later proves the
/// stored log untouched or says where it was changed.
///
/// ```swift
/// var chain = AuditChain()
/// let entry = chain.append(AuditEvent(actorId: rep, action: .export, recordIds: ids), now: now)
/// if chain.isCheckpointDue { checkpoints.append(chain.checkpoint(key: auditKey, now: now)) }
/// let report = AuditChain.verify(entries, checkpoints: checkpoints, key: auditKey)
/// ```
public struct AuditChain: Hashable, Codable, Sendable {
    /// The hash before the first entry: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The sequence number of the last entry (0 when empty).
    public private(set) var lastSequence: UInt64
    /// The hash of the last entry (``genesisHash`` when empty).
    public private(set) var headHash: [UInt8]
    /// Entries between checkpoints (default 100).
    public var checkpointInterval: UInt64

    /// Starts an empty log.
    public init(checkpointInterval: UInt64 = 100) {
        self.lastSequence = 0
        self.headHash = Self.genesisHash
        self.checkpointInterval = max(checkpointInterval, 1)
    }

    /// Resumes after `last`, the newest stored entry (verify the stored log first).
    public init(resumingAfter last: AuditEntry, checkpointInterval: UInt64 = 100) {
        self.lastSequence = last.sequence
        self.headHash = last.hash
        self.checkpointInterval = max(checkpointInterval, 1)
    }

    /// Seals `event` as the next entry at `now`.
    public mutating func append(_ event: AuditEvent, now: Date) -> AuditEntry {
        var entry = AuditEntry(
            sequence: lastSequence + 1,
            timestampMilliseconds: Int64((now.timeIntervalSince1970 * 1_000).rounded(.down)),
            event: event, previousHash: headHash, hash: [])
        entry.hash = entry.computedHash()
        lastSequence = entry.sequence
        headHash = entry.hash
        return entry
    }

    /// Whether the last entry completes a checkpoint interval.
    public var isCheckpointDue: Bool { lastSequence > 0 && lastSequence % checkpointInterval == 0 }

    /// A checkpoint sealing the current head under `key`.
    public func checkpoint(key: SymmetricKey, now: Date) -> AuditCheckpoint {
        AuditCheckpoint.seal(
            sequence: lastSequence, entryHash: headHash,
            timestampMilliseconds: Int64((now.timeIntervalSince1970 * 1_000).rounded(.down)), key: key)
    }
}
