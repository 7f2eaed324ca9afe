import Foundation
import RapportProtocol

/// ``SyncServerStorage`` in memory: the reference semantics of the storage contract, used by
/// tests and simulations (in the manner of Hummingbird's `MemoryPersistDriver`). Nothing
/// survives the process; do not use it for a real server.
///
/// Commits are serialised by the actor, so ``stableSequence()`` is simply the last sequence.
public actor InMemorySyncStorage: SyncServerStorage {
    private var records: [RecordKey: StoredRecord] = [:]
    private var log: [ChangeLogEntry] = []
    private var outcomes: [UUID: StoredMutationOutcome] = [:]
    private var snapshots: [UUID: [Int64: Set<RecordKey>]] = [:]
    private var nextEpoch: [UUID: Int64] = [:]
    private var lastSequence: Int64 = 0
    private var floor: Int64 = 0
    private let lineage: UInt32

    /// An empty store of the given change-log generation.
    public init(generation: UInt32 = 1) { lineage = generation }

    /// The change-log generation.
    public func generation() -> UInt32 { lineage }

    /// The record, live or tombstone.
    public func record(_ key: RecordKey) -> StoredRecord? { records[key] }

    /// The records of `keys` that exist, live or tombstone.
    public func records(_ keys: [RecordKey]) -> [RecordKey: StoredRecord] {
        var result: [RecordKey: StoredRecord] = [:]
        for key in keys { result[key] = records[key] }
        return result
    }

    /// The remembered outcome of a mutation id.
    public func outcome(of clientMutationId: UUID) -> StoredMutationOutcome? { outcomes[clientMutationId] }

    /// Writes atomically; see ``SyncServerStorage/commit(_:committedAtMillis:)``.
    public func commit(_ commit: RecordCommit, committedAtMillis: Int64) throws -> Int64 {
        if let outcome = commit.outcome, outcomes[outcome.clientMutationId] != nil { throw SyncStorageConflict() }
        guard var record = commit.record else {
            if let outcome = commit.outcome { outcomes[outcome.clientMutationId] = outcome }
            return lastSequence
        }
        if (records[record.key]?.version ?? 0) != commit.expectedVersion { throw SyncStorageConflict() }
        lastSequence += 1
        record.sequence = lastSequence
        for (path, state) in record.fieldStates where state.sequence == 0 {
            record.fieldStates[path]?.sequence = lastSequence
        }
        records[record.key] = record
        log.append(
            ChangeLogEntry(
                sequence: lastSequence, key: record.key, version: record.version, paths: commit.changedPaths.sorted(),
                deleted: record.deleted, committedAtMillis: committedAtMillis))
        if let outcome = commit.outcome { outcomes[outcome.clientMutationId] = outcome }
        return lastSequence
    }

    /// The last sequence (commits are serialised).
    public func stableSequence() -> Int64 { lastSequence }

    /// Entries in `(after, upTo]`, at most `limit`.
    public func changes(after: Int64, upTo: Int64, limit: Int) -> [ChangeLogEntry] {
        var result: [ChangeLogEntry] = []
        var index = Self.firstIndex(in: log, after: after)
        while index < log.count, log[index].sequence <= upTo, result.count < limit {
            result.append(log[index])
            index += 1
        }
        return result
    }

    /// The purge floor.
    public func historyFloor() -> Int64 { floor }

    /// Drops history committed before `cutoffMillis`.
    public func purgeHistory(before cutoffMillis: Int64) {
        let expired = log.prefix { $0.committedAtMillis < cutoffMillis }
        if let last = expired.last { floor = max(floor, last.sequence) }
        log.removeFirst(expired.count)
        for (key, record) in records where record.deleted && (record.deletedAtMillis ?? 0) < cutoffMillis && record.sequence <= floor {
            records[key] = nil
        }
        outcomes = outcomes.filter { $0.value.recordedAtMillis >= cutoffMillis }
    }

    /// A device's snapshot; epoch 0 is the empty one.
    public func scopeSnapshot(device: UUID, epoch: Int64) -> Set<RecordKey>? {
        if epoch == 0 { return [] }
        return snapshots[device]?[epoch]
    }

    /// Stores a snapshot under the device's next epoch.
    public func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) -> Int64 {
        let epoch = (nextEpoch[device] ?? 0) + 1
        nextEpoch[device] = epoch
        snapshots[device, default: [:]][epoch] = records
        return epoch
    }

    /// Forgets the device's snapshots before `epoch`.
    public func pruneScopeSnapshots(device: UUID, before epoch: Int64) {
        snapshots[device] = snapshots[device]?.filter { $0.key >= epoch }
    }

    /// Every live record (for tests and scope providers built on this store).
    public func liveRecords() -> [StoredRecord] {
        records.values.filter { !$0.deleted }.sorted { $0.key < $1.key }
    }

    private static func firstIndex(in log: [ChangeLogEntry], after sequence: Int64) -> Int {
        var low = 0
        var high = log.count
        while low < high {
            let middle = (low + high) / 2
            if log[middle].sequence <= sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
