import Foundation
import GRDB
import Synchronization

/// Whether the server's database can write right now, as its last writes showed: a write that
/// failed because the disk was full or reported an I/O error marks storage unhealthy, and the
/// next successful write (any commit that changed a row) marks it healthy again.
///
/// `/readyz` answers not ready while storage is unhealthy, after trying a write of its own
/// (``SQLiteServerStorage/checkReachable()``), so a load balancer stops sending writes to a full
/// disk and sends them again, without anyone restarting the server, once space returns.
public final class StorageHealth: Sendable {
    /// A write failure remembered until a write succeeds.
    public struct Failure: Sendable {
        /// The error the failed write reported (``ServerError/Code/storageFull`` or
        /// ``ServerError/Code/storageIOError``).
        public var error: ServerError
        /// When it happened.
        public var at: Date
    }

    private let state = Mutex<Failure?>(nil)

    /// Creates a healthy tracker.
    public init() {}

    /// The last write failure not yet followed by a successful write, or `nil`.
    public var failure: Failure? { state.withLock { $0 } }

    /// Remembers `error` if it says the disk is full or failing; other errors say nothing
    /// about the disk.
    func note(_ error: ServerError) {
        guard error.code == .storageFull || error.code == .storageIOError else { return }
        state.withLock { $0 = Failure(error: error, at: Date()) }
    }

    /// A write reached the database: storage is healthy again.
    func noteWriteSucceeded() {
        state.withLock { $0 = nil }
    }

    /// Told of every commit on the database's writer connection; a commit that changed rows
    /// clears the failure (a commit of a transaction that only read proves nothing).
    final class CommitObserver: TransactionObserver, @unchecked Sendable {
        private let health: StorageHealth
        private var changesAtLastCommit: Int = 0

        init(health: StorageHealth) { self.health = health }

        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseDidRollback(_ db: Database) { changesAtLastCommit = db.totalChangesCount }
        func databaseDidCommit(_ db: Database) {
            let total = db.totalChangesCount
            if total != changesAtLastCommit, health.failure != nil { health.noteWriteSucceeded() }
            changesAtLastCommit = total
        }
    }
}

extension ServerError {
    /// The error for a database failure while doing `what`: ``Code/storageFull`` when SQLite
    /// reports a full disk (or database), ``Code/storageIOError`` for an I/O error, both with a
    /// retry delay; ``Code/storage`` with the `check` command to run for a damaged database and
    /// for anything else. A ``ServerError`` passes unchanged.
    public static func storageFailure(while what: String, cause: any Error) -> ServerError {
        if let error = cause as? ServerError { return error }
        return diskFailure(while: what, cause: cause)
            ?? ServerError(
                .storage, "the server database failed while \(what); check the data directory's disk and permissions",
                cause: cause)
    }

    /// ``storageFailure(while:cause:)`` for a full disk, an I/O error or a damaged database;
    /// `nil` for other failures.
    static func diskFailure(while what: String, cause: any Error) -> ServerError? {
        switch (cause as? DatabaseError)?.resultCode {
        case .SQLITE_FULL?:
            return ServerError(
                .storageFull,
                "the server's disk is full: \(what) failed and nothing of it was written; free space on the disk of the data directory — the server resumes by itself, retry after \(storageRetrySeconds) s",
                retryAfterSeconds: storageRetrySeconds, cause: cause)
        case .SQLITE_IOERR?:
            return ServerError(
                .storageIOError,
                "the server's disk reported an I/O error while \(what); nothing of it was written — the operator must check the disk (kernel log) and, with the server stopped, run `rapport-server check`; retry after \(storageRetrySeconds) s",
                retryAfterSeconds: storageRetrySeconds, cause: cause)
        case .SQLITE_CORRUPT?, .SQLITE_NOTADB?:
            return ServerError(
                .storage,
                "the server database is damaged (found while \(what)); stop the server, run `rapport-server check --data-dir DIR` and restore the latest good backup",
                cause: cause)
        default:
            return nil
        }
    }

    /// The `Retry-After` of ``Code/storageFull`` and ``Code/storageIOError``, in seconds.
    public static let storageRetrySeconds = 30
}
