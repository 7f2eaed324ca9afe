import Foundation
import RapportAccess

/// An ``AuditStorage`` in memory: for tests, and for storage back ends that keep no audit
/// tables of their own (entries are lost when the process ends).
public actor InMemoryAuditStorage: AuditStorage {
    private var entries: [AuditEntry] = []
    private var checkpoints: [UInt64: AuditCheckpoint] = [:]

    /// Creates an empty log.
    public init() {}

    /// Appends an entry; refuses a sequence number that exists.
    public func appendAuditEntry(_ entry: AuditEntry) async throws {
        guard !entries.contains(where: { $0.sequence == entry.sequence }) else {
            throw ServerError(.conflict, "audit entry \(entry.sequence) exists; the log is append-only")
        }
        entries.append(entry)
        entries.sort { $0.sequence < $1.sequence }
    }

    /// The newest entry.
    public func lastAuditEntry() async throws -> AuditEntry? { entries.last }

    /// Matching entries, newest first.
    public func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry] {
        Array(entries.reversed().filter(query.matches).prefix(query.limit))
    }

    /// Entries after `sequence`, oldest first.
    public func auditEntries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        Array(entries.filter { $0.sequence > sequence }.prefix(limit))
    }

    /// The hashes of the entries among `sequences`.
    public func auditEntryHashes(sequences: [UInt64]) async throws -> [UInt64: [UInt8]] {
        let wanted = Set(sequences)
        return Dictionary(
            entries.filter { wanted.contains($0.sequence) }.map { ($0.sequence, $0.hash) },
            uniquingKeysWith: { first, _ in first })
    }

    /// Stores a checkpoint.
    public func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws {
        checkpoints[checkpoint.sequence] = checkpoint
    }

    /// Every checkpoint, oldest first.
    public func auditCheckpoints() async throws -> [AuditCheckpoint] {
        checkpoints.values.sorted { $0.sequence < $1.sequence }
    }
}
