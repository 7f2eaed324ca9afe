import Foundation
import GRDB
import RapportSyncServer
import Synchronization

/// Units of work on SQLite (``ServerStorage/read(_:)``, ``ServerStorage/write(_:)``).
///
/// GRDB runs statements in short synchronous accesses on a connection's dispatch queue, while
/// a unit's body is `async` (it calls services, and a PostgreSQL storage awaits its connection).
/// A unit therefore keeps its transaction open *across* accesses, without holding any thread:
///
/// - a **read unit** opens a `DatabaseSnapshot` (its own read-only connection with one open
///   WAL read transaction): every access of the body reads that one snapshot;
/// - a **write unit** takes this storage's writer lock (an async lock, no thread blocked), runs
///   `BEGIN IMMEDIATE` on the writer connection (the database's write lock, across processes
///   too), runs the body's accesses on that connection, and `COMMIT`s when the body returns or
///   `ROLLBACK`s when it throws. Every write of this storage takes the writer lock, so nothing
///   else runs on the writer connection inside an open unit.
///
/// The body receives the storage itself as its handle: every operation of
/// ``SQLiteServerStorage`` looks up the unit the calling task has open on this storage (a task
/// local) and runs there, or runs as a unit of its own when there is none.
extension SQLiteServerStorage {
    /// Runs `body` in one read transaction (or in the caller's open unit).
    public func read<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T {
        if openUnit(writing: false) != nil { return try await body(self) }
        return try await pinned(writable: false, body)
    }

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction (or in the caller's open write unit).
    public func write<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T {
        if openUnit(writing: true) != nil { return try await body(self) }
        return try await pinned(writable: true, body)
    }

    /// Queues `work` on the open write unit (run after its commit), or runs it now.
    public func afterCommit(_ work: @escaping @Sendable () async -> Void) async {
        if let lease = openUnit(writing: true), lease.enqueueAfterCommit(work) { return }
        await work()
    }

    /// Whether the calling task has a unit of this storage open.
    public var hasOpenUnit: Bool { openUnit(writing: false) != nil }

    private func pinned<T: Sendable>(
        writable: Bool, _ body: @Sendable (any ServerTransaction) async throws -> T
    ) async throws -> T {
        let lease: SQLiteConnectionLease
        if writable {
            await writerLock.lock()
            do {
                try await database.writeWithoutTransaction { db in try db.beginTransaction(.immediate) }
            } catch {
                await writerLock.unlock()
                throw noted(ServerError.storageFailure(while: "starting a write", cause: error))
            }
            lease = SQLiteConnectionLease(writer: database)
        } else {
            do {
                lease = SQLiteConnectionLease(snapshot: try database.makeSnapshot())
            } catch {
                throw noted(ServerError.storageFailure(while: "opening a read snapshot", cause: error))
            }
        }
        var units = Self.openUnits
        units[ObjectIdentifier(self)] = lease
        let result: T
        do {
            result = try await Self.$openUnits.withValue(units) { try await body(self) }
        } catch {
            lease.finish()
            if writable {
                _ = try? await database.writeWithoutTransaction { db in try db.rollback() }
                await writerLock.unlock()
            }
            throw error
        }
        lease.finish()
        if writable {
            do {
                try await database.writeWithoutTransaction { db in try db.commit() }
            } catch {
                _ = try? await database.writeWithoutTransaction { db in try db.rollback() }
                await writerLock.unlock()
                // A full disk or an I/O error shows at the commit (WAL mode writes then): the
                // same typed 503 and readiness as a failing statement (StorageHealth).
                throw noted(ServerError.storageFailure(while: "committing a write", cause: error))
            }
            await writerLock.unlock()
        }
        // After the commit, outside the unit (the task-local no longer names it).
        for work in lease.takeAfterCommit() { await work() }
        return result
    }

    /// Records a disk failure in ``health`` (so `/readyz` reports it) and returns the error.
    private func noted(_ error: ServerError) -> ServerError {
        health.note(error)
        return error
    }

    /// The unit the calling task has open on this storage that can run the operation.
    private func openUnit(writing: Bool) -> SQLiteConnectionLease? {
        guard let lease = Self.openUnits[ObjectIdentifier(self)], lease.isOpen, lease.writable || !writing else {
            return nil
        }
        return lease
    }

    /// Whether an operation runs on a reader or needs the writer.
    enum Access { case read, write }

    /// Runs one operation's statements: in the calling task's open unit when there is one
    /// (a write needs a write unit), else in a transaction of its own.
    func unit<T: Sendable>(_ access: Access, _ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let lease = openUnit(writing: access == .write) { return try await lease.perform(work) }
        switch access {
        case .read: return try await database.read(work)
        case .write:
            await writerLock.lock()
            do {
                let result = try await database.writeWithoutTransaction { db in
                    var result: T?
                    try db.inTransaction(.immediate) {
                        result = try work(db)
                        return .commit
                    }
                    return result!
                }
                await writerLock.unlock()
                return result
            } catch {
                await writerLock.unlock()
                throw error
            }
        }
    }

    /// The units open in the current task, by storage.
    @TaskLocal static var openUnits: [ObjectIdentifier: SQLiteConnectionLease] = [:]
}

/// The open unit of work: where its accesses run (the writer connection inside its open
/// transaction, or the unit's snapshot), until ``finish()``.
final class SQLiteConnectionLease: Sendable {
    private enum Connection: @unchecked Sendable {
        case writer(DatabasePool)
        case snapshot(DatabaseSnapshot)
    }

    private let connection: Connection
    private let state = Mutex<(open: Bool, afterCommit: [@Sendable () async -> Void])>((true, []))

    init(writer: DatabasePool) { connection = .writer(writer) }
    init(snapshot: DatabaseSnapshot) { connection = .snapshot(snapshot) }

    /// Whether the unit writes.
    var writable: Bool {
        if case .writer = connection { return true }
        return false
    }

    /// Whether the unit still accepts work.
    var isOpen: Bool { state.withLock { $0.open } }

    /// Runs `work` in the unit.
    func perform<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        guard isOpen else { throw UnitOfWorkFinished() }
        switch connection {
        case .writer(let pool): return try await pool.writeWithoutTransaction(work)
        case .snapshot(let snapshot): return try await snapshot.read(work)
        }
    }

    /// Ends the unit: no more work is accepted.
    func finish() { state.withLock { $0.open = false } }

    /// Queues work for after the commit; `false` when the unit has already ended.
    func enqueueAfterCommit(_ work: @escaping @Sendable () async -> Void) -> Bool {
        state.withLock { state in
            guard state.open else { return false }
            state.afterCommit.append(work)
            return true
        }
    }

    /// The queued after-commit work (once).
    func takeAfterCommit() -> [@Sendable () async -> Void] {
        state.withLock { state in
            defer { state.afterCommit = [] }
            return state.afterCommit
        }
    }
}
