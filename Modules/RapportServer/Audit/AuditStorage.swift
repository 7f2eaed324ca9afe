import Foundation
import RapportAccess

/// Where the audit log lives: append-only entries, the keyed checkpoints that seal them, and the
/// queries the admin API runs over them.
///
/// ``SQLiteServerStorage`` implements it over the server database (tables `auditEntry` and
/// `auditCheckpoint`; triggers refuse updates and deletes of entries; searches read the
/// entries themselves, so there is no index outside the chain to tamper with). Every
/// ``ServerStorage`` is one: there is no fallback to an audit log kept in memory.
/// Entries are written exactly as ``AuditChain`` sealed them; nothing here computes hashes.
public protocol AuditStorage: Sendable {
    /// Stores a new entry. Its sequence number must not exist yet.
    func appendAuditEntry(_ entry: AuditEntry) async throws
    /// The entry with the highest sequence number, or `nil` when the log is empty.
    func lastAuditEntry() async throws -> AuditEntry?
    /// Entries matching `query`, newest first, at most `query.limit`.
    func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry]
    /// Entries with a sequence number above `sequence`, oldest first, at most `limit`
    /// (verification and export page through the log with this).
    func auditEntries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry]
    /// The stored hash of each of `sequences` that exists (the anchor check at start-up reads
    /// these rather than the whole log).
    func auditEntryHashes(sequences: [UInt64]) async throws -> [UInt64: [UInt8]]
    /// Stores a checkpoint (replacing one for the same sequence).
    func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws
    /// Every stored checkpoint, oldest first.
    func auditCheckpoints() async throws -> [AuditCheckpoint]
}
