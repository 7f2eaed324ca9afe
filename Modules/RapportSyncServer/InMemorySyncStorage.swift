import Foundation
import RapportProtocol
import Synchronization

/// ``SyncServerStorage`` in memory: the reference semantics of the storage contract, used by
/// tests and simulations (in the manner of Hummingbird's `MemoryPersistDriver`). Nothing
/// survives the process; do not use it for a real server.
///
/// Units of work by copy-on-write: a read unit works on a copy of the committed state taken
/// when it starts (its snapshot); a write unit waits for the previous writer, works on its own
/// copy, and replaces the committed state only when its body returns. Write units are therefore
/// serialised, and ``stableSequence()`` is simply the last committed sequence.
public final class InMemorySyncStorage: SyncServerStorage {
    private let committed: Mutex<InMemorySyncState>
    private let writers = SerialWriterLock()

    @TaskLocal private static var openUnits: [ObjectIdentifier: InMemorySyncTransaction] = [:]

    /// An empty store of the given change-log generation.
    public init(generation: UInt32 = 1) { committed = Mutex(InMemorySyncState(lineage: generation)) }

    // MARK: - Units of work

    /// Runs `body` on a snapshot of the committed state (or inside the caller's open unit).
    public func syncRead<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws
        -> T
    {
        if let open = openUnit() { return try await body(open) }
        let unit = InMemorySyncTransaction(committed.withLock { $0 }, writable: false)
        defer { unit.finish() }
        return try await Self.$openUnits.withValue(units(adding: unit)) { try await body(unit) }
    }

    /// Runs `body` as the only writer; its changes replace the committed state when it returns.
    public func syncWrite<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws
        -> T
    {
        if let open = openUnit(), open.writable { return try await body(open) }
        await writers.lock()
        let unit = InMemorySyncTransaction(committed.withLock { $0 }, writable: true)
        do {
            let result = try await Self.$openUnits.withValue(units(adding: unit)) { try await body(unit) }
            let state = unit.finish()
            committed.withLock { $0 = state }
            await writers.unlock()
            return result
        } catch {
            unit.finish()
            await writers.unlock()
            throw error
        }
    }

    private func openUnit() -> InMemorySyncTransaction? {
        guard let unit = Self.openUnits[ObjectIdentifier(self)], unit.isOpen else { return nil }
        return unit
    }

    private func units(adding unit: InMemorySyncTransaction) -> [ObjectIdentifier: InMemorySyncTransaction] {
        var units = Self.openUnits
        units[ObjectIdentifier(self)] = unit
        return units
    }

    /// Reads from the caller's open unit, else from the committed state.
    private func reading<T>(_ body: (inout InMemorySyncState) -> T) -> T {
        if let open = openUnit(), case .success(let value) = Result(catching: { try open.access(body) }) {
            return value
        }
        return committed.withLock { state in
            var copy = state
            return body(&copy)
        }
    }

    // MARK: - Operations (each its own unit unless the caller has one open)

    /// The change-log generation.
    public func generation() -> UInt32 { reading { $0.lineage } }

    /// The record, live or tombstone.
    public func record(_ key: RecordKey) -> StoredRecord? { reading { $0.records[key] } }

    /// The records of `keys` that exist, live or tombstone.
    public func records(_ keys: [RecordKey]) -> [RecordKey: StoredRecord] { reading { $0.records(keys) } }

    /// The remembered outcome of a mutation id.
    public func outcome(of clientMutationId: UUID) -> StoredMutationOutcome? {
        reading { $0.outcomes[clientMutationId] }
    }

    /// Writes atomically; see ``SyncStorageTransaction/commit(_:committedAtMillis:)``.
    public func commit(_ commit: RecordCommit, committedAtMillis: Int64) async throws -> Int64 {
        try await syncWrite { try await $0.commit(commit, committedAtMillis: committedAtMillis) }
    }

    /// The last sequence (commits are serialised).
    public func stableSequence() -> Int64 { reading { $0.lastSequence } }

    /// Entries in `(after, upTo]`, at most `limit`.
    public func changes(after: Int64, upTo: Int64, limit: Int) -> [ChangeLogEntry] {
        reading { $0.changes(after: after, upTo: upTo, limit: limit) }
    }

    /// The purge floor.
    public func historyFloor() -> Int64 { reading { $0.floor } }

    /// Drops history committed before `cutoffMillis`.
    public func purgeHistory(before cutoffMillis: Int64) async throws {
        try await syncWrite { try await $0.purgeHistory(before: cutoffMillis) }
    }

    /// A device's snapshot; epoch 0 is the empty one.
    public func scopeSnapshot(device: UUID, epoch: Int64) -> Set<RecordKey>? {
        reading { $0.scopeSnapshot(device: device, epoch: epoch) }
    }

    /// Stores a snapshot under the device's next epoch.
    public func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) async throws -> Int64 {
        try await syncWrite { try await $0.saveScopeSnapshot(device: device, records: records) }
    }

    /// Forgets the device's snapshots before `epoch`.
    public func pruneScopeSnapshots(device: UUID, before epoch: Int64) async throws {
        try await syncWrite { try await $0.pruneScopeSnapshots(device: device, before: epoch) }
    }

    /// Every live record (for tests and scope providers built on this store).
    public func liveRecords() -> [StoredRecord] {
        reading { $0.records.values.filter { !$0.deleted }.sorted { $0.key < $1.key } }
    }
}

/// The handle of one unit of work on ``InMemorySyncStorage``: its own copy of the state.
final class InMemorySyncTransaction: SyncStorageTransaction {
    private let state: Mutex<(InMemorySyncState, open: Bool)>
    let writable: Bool

    init(_ snapshot: InMemorySyncState, writable: Bool) {
        state = Mutex((snapshot, true))
        self.writable = writable
    }

    var isOpen: Bool { state.withLock { $0.open } }

    /// Ends the unit and returns its final state.
    @discardableResult
    func finish() -> InMemorySyncState {
        state.withLock {
            $0.open = false
            return $0.0
        }
    }

    func access<T>(_ body: (inout InMemorySyncState) throws -> T) throws -> T {
        try state.withLock {
            guard $0.open else { throw UnitOfWorkFinished() }
            return try body(&$0.0)
        }
    }

    private func writing<T>(_ body: (inout InMemorySyncState) throws -> T) throws -> T {
        guard writable else { throw InMemoryReadOnlyUnit() }
        return try access(body)
    }

    func generation() throws -> UInt32 { try access { $0.lineage } }
    func record(_ key: RecordKey) throws -> StoredRecord? { try access { $0.records[key] } }
    func records(_ keys: [RecordKey]) throws -> [RecordKey: StoredRecord] { try access { $0.records(keys) } }
    func outcome(of clientMutationId: UUID) throws -> StoredMutationOutcome? {
        try access { $0.outcomes[clientMutationId] }
    }
    func commit(_ commit: RecordCommit, committedAtMillis: Int64) throws -> Int64 {
        try writing { try $0.commit(commit, committedAtMillis: committedAtMillis) }
    }
    func stableSequence() throws -> Int64 { try access { $0.lastSequence } }
    func changes(after: Int64, upTo: Int64, limit: Int) throws -> [ChangeLogEntry] {
        try access { $0.changes(after: after, upTo: upTo, limit: limit) }
    }
    func historyFloor() throws -> Int64 { try access { $0.floor } }
    func purgeHistory(before cutoffMillis: Int64) throws { try writing { $0.purgeHistory(before: cutoffMillis) } }
    func scopeSnapshot(device: UUID, epoch: Int64) throws -> Set<RecordKey>? {
        try access { $0.scopeSnapshot(device: device, epoch: epoch) }
    }
    func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) throws -> Int64 {
        try writing { $0.saveScopeSnapshot(device: device, records: records) }
    }
    func pruneScopeSnapshots(device: UUID, before epoch: Int64) throws {
        try writing { $0.pruneScopeSnapshots(device: device, before: epoch) }
    }
}

/// A write was attempted in a read unit of ``InMemorySyncStorage``.
struct InMemoryReadOnlyUnit: Error, CustomStringConvertible {
    var description: String { "a write ran inside a read unit; open a write unit (syncWrite) for it" }
}

/// The whole in-memory state: a value, so a unit's copy is cheap (copy-on-write collections).
struct InMemorySyncState: Sendable {
    var records: [RecordKey: StoredRecord] = [:]
    var log: [ChangeLogEntry] = []
    var outcomes: [UUID: StoredMutationOutcome] = [:]
    var snapshots: [UUID: [Int64: Set<RecordKey>]] = [:]
    var nextEpoch: [UUID: Int64] = [:]
    var lastSequence: Int64 = 0
    var floor: Int64 = 0
    let lineage: UInt32

    init(lineage: UInt32) { self.lineage = lineage }

    func records(_ keys: [RecordKey]) -> [RecordKey: StoredRecord] {
        var result: [RecordKey: StoredRecord] = [:]
        for key in keys { result[key] = records[key] }
        return result
    }

    mutating func commit(_ commit: RecordCommit, committedAtMillis: Int64) throws -> Int64 {
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

    func changes(after: Int64, upTo: Int64, limit: Int) -> [ChangeLogEntry] {
        var result: [ChangeLogEntry] = []
        var low = 0
        var high = log.count
        while low < high {
            let middle = (low + high) / 2
            if log[middle].sequence <= after { low = middle + 1 } else { high = middle }
        }
        var index = low
        while index < log.count, log[index].sequence <= upTo, result.count < limit {
            result.append(log[index])
            index += 1
        }
        return result
    }

    mutating func purgeHistory(before cutoffMillis: Int64) {
        let expired = log.prefix { $0.committedAtMillis < cutoffMillis }
        if let last = expired.last { floor = max(floor, last.sequence) }
        log.removeFirst(expired.count)
        for (key, record) in records
        where record.deleted && (record.deletedAtMillis ?? 0) < cutoffMillis && record.sequence <= floor {
            records[key] = nil
        }
        outcomes = outcomes.filter { $0.value.recordedAtMillis >= cutoffMillis }
    }

    func scopeSnapshot(device: UUID, epoch: Int64) -> Set<RecordKey>? {
        if epoch == 0 { return [] }
        return snapshots[device]?[epoch]
    }

    mutating func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) -> Int64 {
        let epoch = (nextEpoch[device] ?? 0) + 1
        nextEpoch[device] = epoch
        snapshots[device, default: [:]][epoch] = records
        return epoch
    }

    mutating func pruneScopeSnapshots(device: UUID, before epoch: Int64) {
        snapshots[device] = snapshots[device]?.filter { $0.key >= epoch }
    }
}

/// Admits one writer at a time, in arrival order, without blocking a thread: the writer lock of
/// ``InMemorySyncStorage`` and of the server's SQLite storage (which holds it for a write unit).
public final class SerialWriterLock: Sendable {
    private let state = Mutex<(held: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    /// Creates an unheld lock.
    public init() {}

    /// Waits for the lock.
    public func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { state -> Bool in
                if state.held {
                    state.waiting.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    /// Hands the lock to the next waiter, or frees it.
    public func unlock() async {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.held = false
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
