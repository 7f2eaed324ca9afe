import Foundation
import RapportProtocol

/// What sync storage does inside one unit of work: records with per-field merge state, the
/// ordered change log, applied mutation ids, tombstones and per-device scope snapshots
/// (`Docs/Protocol.md`, "Server storage contract").
///
/// A handle is given to the body of ``SyncServerStorage/syncRead(_:)`` or
/// ``SyncServerStorage/syncWrite(_:)``: every operation on it sees that unit's snapshot, and
/// the writes of a write unit commit together or not at all. The storage itself is a handle
/// too: an operation called on it directly joins the unit the calling task has open on that
/// storage, or else runs as a unit of its own.
///
/// The contract, which every implementation must honour:
///
/// 1. ``commit(_:committedAtMillis:)`` writes record, change-log entry and mutation outcome
///    together, and each record write gets the next value of one server-wide, strictly
///    increasing sequence.
/// 2. ``stableSequence()`` never exceeds a sequence whose transaction may still commit: every
///    sequence at or below it is either visible now or will never exist. With PostgreSQL,
///    where sequence values are taken before commit and commit out of order, this is the
///    high-water mark below the oldest in-flight writer (e.g. tracked in a table of open
///    write transactions, or `pg_snapshot_xmin` against a `txid` column). Pulls read the log
///    only up to it, so no puller skips a late-committing change.
/// 3. Change-log entries and tombstones at or below ``historyFloor()`` may be gone; above it,
///    every entry is present.
public protocol SyncStorageTransaction: Sendable {
    /// The lineage of the change log; changes when history is lost (restore from backup).
    func generation() async throws -> UInt32

    /// The record, live or tombstone, or `nil`.
    func record(_ key: RecordKey) async throws -> StoredRecord?

    /// The records of `keys` that exist, live or tombstone, read together (one pull page); keys
    /// without a record are left out. A default reads them one by one with ``record(_:)``.
    func records(_ keys: [RecordKey]) async throws -> [RecordKey: StoredRecord]

    /// The remembered outcome of a mutation id, or `nil`.
    func outcome(of clientMutationId: UUID) async throws -> StoredMutationOutcome?

    /// Writes record, change-log entry and outcome (see ``RecordCommit``) and returns the
    /// sequence assigned to the record write (or the current ``stableSequence()`` when only an
    /// outcome is written).
    ///
    /// - Throws: ``SyncStorageConflict`` when the record version or mutation id check fails.
    func commit(_ commit: RecordCommit, committedAtMillis: Int64) async throws -> Int64

    /// The highest sequence below which no change can still appear (rule 2 above).
    func stableSequence() async throws -> Int64

    /// Change-log entries with `after < sequence <= upTo`, in sequence order, at most `limit`.
    func changes(after: Int64, upTo: Int64, limit: Int) async throws -> [ChangeLogEntry]

    /// The sequence at or below which history may have been purged.
    func historyFloor() async throws -> Int64

    /// Removes change-log entries, tombstones and mutation outcomes committed before
    /// `cutoffMillis`, raising ``historyFloor()`` accordingly.
    func purgeHistory(before cutoffMillis: Int64) async throws

    /// The device's scope snapshot `epoch` (what the device holds), or `nil` if unknown or
    /// pruned. Epoch 0 is the empty snapshot of a first sync.
    func scopeSnapshot(device: UUID, epoch: Int64) async throws -> Set<RecordKey>?

    /// Stores a new scope snapshot for the device and returns its epoch (greater than every
    /// earlier epoch of the device).
    func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) async throws -> Int64

    /// Deletes the device's snapshots older than `epoch` (the device has acknowledged `epoch`).
    func pruneScopeSnapshots(device: UUID, before epoch: Int64) async throws
}

/// Server-side sync storage with units of work.
///
/// RapportServer implements it on SQLite (a PostgreSQL implementation fits the same shape);
/// ``InMemorySyncStorage`` is the reference semantics and the test implementation.
///
/// - ``syncRead(_:)`` runs its body against one consistent snapshot: nothing another writer
///   commits meanwhile is seen.
/// - ``syncWrite(_:)`` runs its body as one atomic commit: when the body throws, nothing it
///   wrote remains. Write units are serialisable (SQLite: one writer at a time).
/// - A unit opened while the calling task already has a unit of the same storage open joins it
///   (a read inside a write sees the write's own changes; a write inside a write commits with
///   it), so services compose without deadlocking on the single writer.
///
/// ```swift
/// let (stable, entries) = try await storage.syncRead { tx in
///     let stable = try await tx.stableSequence()
///     return (stable, try await tx.changes(after: cursor, upTo: stable, limit: 100))
/// }
/// ```
public protocol SyncServerStorage: SyncStorageTransaction {
    /// Runs `body` against one consistent snapshot and returns its result.
    func syncRead<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws -> T

    /// Runs `body` as one atomic write: everything it writes commits when it returns, nothing
    /// when it throws (the error is rethrown).
    func syncWrite<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws -> T
}

extension SyncStorageTransaction {
    /// Reads each record with ``record(_:)``; storages that can read many at once override it.
    public func records(_ keys: [RecordKey]) async throws -> [RecordKey: StoredRecord] {
        var result: [RecordKey: StoredRecord] = [:]
        for key in keys where result[key] == nil {
            if let record = try await record(key) { result[key] = record }
        }
        return result
    }
}

/// An operation was called on a unit-of-work handle after its unit ended (the handle escaped
/// the `read`/`write` closure). Run storage operations inside the closure.
public struct UnitOfWorkFinished: Error, CustomStringConvertible {
    /// Creates the error.
    public init() {}
    /// What happened and what to do.
    public var description: String {
        "a storage operation ran on a unit of work that has already ended; call it inside the read/write closure"
    }
}
