import Foundation
import RapportCrypto

/// A periodic, keyed seal of the chain head: "entry `sequence` has hash `entryHash`",
/// authenticated with HMAC-SHA-256 under a server key. An attacker who can rewrite the stored
/// log but does not hold the key cannot make a rewritten chain agree with the checkpoints.
///
/// Keep checkpoints apart from the entries (another table, another machine, the admin's
/// terminal) and make them from the server's in-memory ``AuditChain`` head, not from storage.
public struct AuditCheckpoint: Hashable, Codable, Sendable {
    /// The sequence number sealed.
    public var sequence: UInt64
    /// That entry's hash.
    public var entryHash: [UInt8]
    /// When the checkpoint was made, in milliseconds since 1970.
    public var timestampMilliseconds: Int64
    /// HMAC-SHA-256 over the three values above.
    public var mac: [UInt8]

    /// Creates a checkpoint as stored; use ``AuditChain/checkpoint(key:now:)`` to make one.
    public init(sequence: UInt64, entryHash: [UInt8], timestampMilliseconds: Int64, mac: [UInt8]) {
        self.sequence = sequence
        self.entryHash = entryHash
        self.timestampMilliseconds = timestampMilliseconds
        self.mac = mac
    }

    /// Seals `sequence` and `entryHash` under `key`.
    public static func seal(sequence: UInt64, entryHash: [UInt8], timestampMilliseconds: Int64, key: SymmetricKey)
        -> AuditCheckpoint
    {
        let mac = HMACSHA256.authenticationCode(
            for: message(sequence: sequence, entryHash: entryHash, timestampMilliseconds: timestampMilliseconds),
            key: key)
        return AuditCheckpoint(
            sequence: sequence, entryHash: entryHash, timestampMilliseconds: timestampMilliseconds, mac: mac)
    }

    /// Whether the MAC is genuine under `key` (constant-time comparison).
    public func isAuthentic(key: SymmetricKey) -> Bool {
        HMACSHA256.isValid(
            mac,
            for: Self.message(sequence: sequence, entryHash: entryHash, timestampMilliseconds: timestampMilliseconds),
            key: key)
    }

    static func message(sequence: UInt64, entryHash: [UInt8], timestampMilliseconds: Int64) -> [UInt8] {
        var out = Array("rapport-audit-checkpoint-v1".utf8)
        withUnsafeBytes(of: sequence.bigEndian) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: timestampMilliseconds.bigEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: entryHash)
        return out
    }
}
