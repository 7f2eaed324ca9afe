import Foundation
import Logging
import NIOCore
import PostgresNIO
import RapportSyncServer
import Synchronization

/// The ``ServerStorage`` of several server instances: one PostgreSQL database (13 or later),
/// through postgres-nio's connection pool, with the schema applied at start from a table of
/// schema versions (`rapport_schema_version`, ``PostgresServerStorage/migrations``).
///
/// ```swift
/// let storage = try await PostgresServerStorage(
///     url: "postgres://rapport:secret@db.internal:5432/rapport", poolSize: 20, logger: logger)
/// defer { storage.shutdown() }
/// ```
///
/// Units of work (`Docs/ScaleOut.md`, "PostgreSQL units of work"):
///
/// - a **read unit** is one `REPEATABLE READ READ ONLY` transaction on one pooled connection:
///   every statement of the body reads the snapshot its first statement took;
/// - a **write unit** is one `READ COMMITTED` transaction whose first statement takes the
///   transaction-scoped advisory lock ``writerLockKey`` (`pg_advisory_xact_lock`): write units
///   of every instance on the database run one at a time, as SQLite's `BEGIN IMMEDIATE` makes
///   them, so each sees everything committed before it and the change log's sequence order is
///   its commit order (`Docs/Protocol.md` §11). Chosen over `SERIALIZABLE` with retries because
///   a unit's body calls services (audit, quotas) that are not safe to run twice.
/// - A unit opened while the calling task has one open on this storage joins it (a task
///   local, as on SQLite); an operation called outside any unit runs as a unit of its own.
///
/// The database being unreachable makes every operation throw ``ServerError/Code/unavailable``
/// with a retry delay (HTTP 503 with `Retry-After`) and ``checkReachable()`` fail (`/readyz`);
/// the pool reconnects by itself when the database returns.
public final class PostgresServerStorage: ServerStorage {
    /// `postgresql`.
    public var storageKind: String { "postgresql" }

    /// The connection pool.
    let client: PostgresClient
    /// The task running ``client`` (cancelled by ``shutdown()``).
    private let runner: Task<Void, Never>
    /// The log of statements and pool events.
    let logger: Logger
    /// How long an operation waits for a pooled connection before it reports the database
    /// unreachable.
    let connectTimeout: Duration
    /// Writes that failed for want of disk are not tracked on PostgreSQL (the database server
    /// reports its own disk); kept for the readiness probe's shape.
    public let health = StorageHealth()

    /// The advisory lock every write unit takes first (an arbitrary constant: "RAPPORT" in ASCII).
    public static let writerLockKey: Int64 = 0x52_41_50_50_4F_52_54
    /// The advisory lock schema migration takes (so instances starting together migrate once).
    public static let migrationLockKey: Int64 = 0x52_41_50_50_4D_49_47
    /// The oldest PostgreSQL release the schema and its queries need (`server_version_num`).
    public static let minimumServerVersion = 130_000
    /// Seconds a client is told to wait (`Retry-After`) while the database is unreachable.
    public static let retryAfterSeconds = 5

    /// Connects to the database at `url`, checks the server's version and applies the
    /// migrations this server knows.
    ///
    /// - Parameters:
    ///   - url: a `postgres://` URL (``PostgresDatabaseURL``).
    ///   - poolSize: the most connections this instance opens (`databasePoolSize`).
    ///   - connectTimeout: how long to wait for a connection before reporting the database unreachable.
    /// - Throws: ``ServerError/Code/invalidConfiguration`` for a malformed URL;
    ///   ``ServerError/Code/unavailable`` when the database cannot be reached;
    ///   ``ServerError/Code/storage`` for a PostgreSQL older than 13, a database whose schema a
    ///   newer server wrote, or a database holding tables that are not Rapport's.
    public init(
        url: String, poolSize: Int = 20, connectTimeout: Duration = .seconds(5),
        logger: Logger = Logger(label: "rapport.postgres")
    ) async throws(ServerError) {
        let parsed = try PostgresDatabaseURL(url)
        var configuration = PostgresClient.Configuration(
            host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
            database: parsed.database, tls: .disable)
        configuration.options.maximumConnections = max(1, poolSize)
        configuration.options.connectTimeout = connectTimeout
        if let schema = parsed.schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let client = client
        runner = Task { await client.run() }
        self.logger = logger
        self.connectTimeout = connectTimeout
        self.endpoint = parsed.redacted
        do {
            try await migrate()
        } catch {
            shutdown()
            throw error
        }
    }

    /// `host:port/database` of the URL, without its password (for messages).
    let endpoint: String
    /// When an operation last completed on a pooled connection (a busy pool is not an outage).
    let lastAnswer = Mutex<ContinuousClock.Instant?>(nil)

    /// Closes the pool; later operations fail.
    public func shutdown() { runner.cancel() }

    deinit { runner.cancel() }

    // MARK: - Units of work

    /// Runs `body` in one `REPEATABLE READ READ ONLY` transaction (or in the caller's open unit).
    public func read<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T {
        if openUnit(writing: false) != nil { return try await body(self) }
        return try await pinned(writable: false, body)
    }

    /// Runs `body` in one transaction holding the writer lock (or in the caller's open write unit).
    public func write<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T {
        if openUnit(writing: true) != nil { return try await body(self) }
        return try await pinned(writable: true, body)
    }

    /// Queues `work` on the open write unit (run after its commit), or runs it now.
    public func afterCommit(_ work: @escaping @Sendable () async -> Void) async {
        if let unit = openUnit(writing: true), unit.enqueueAfterCommit(work) { return }
        await work()
    }

    /// Whether the calling task has a unit of this storage open.
    public var hasOpenUnit: Bool { openUnit(writing: false) != nil }

    /// Throws unless a pooled connection answers `SELECT 1` within the connect timeout.
    ///
    /// - Throws: ``ServerError/Code/unavailable`` while the database is unreachable.
    public func checkReachable() async throws {
        try await run("checking readiness") {
            try await self.withConnection { connection in
                _ = try await connection.query("SELECT 1", logger: self.logger).collect()
            }
        }
    }

    private func pinned<T: Sendable>(
        writable: Bool, _ body: @Sendable (any ServerTransaction) async throws -> T
    ) async throws -> T {
        let (result, unit) = try await run(writable ? "starting a write" : "starting a read") {
            try await self.withConnection { connection in
                try await self.transaction(on: connection, writable: writable, body)
            }
        }
        if case .success = result {
            for work in unit.takeAfterCommit() { await work() }
        }
        return try result.get()
    }

    /// Runs `body` in a transaction on `connection`; the body's own error comes back in the
    /// result (so it is not mistaken for a database failure), after the rollback.
    private func transaction<T: Sendable>(
        on connection: PostgresConnection, writable: Bool, _ body: @Sendable (any ServerTransaction) async throws -> T
    ) async throws -> (BodyResult<T>, PostgresUnit) {
        if writable {
            try await connection.query("BEGIN ISOLATION LEVEL READ COMMITTED", logger: logger).collect()
            try await connection.query(
                "SELECT pg_advisory_xact_lock(\(Self.writerLockKey))", logger: logger
            ).collect()
        } else {
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
        }
        let unit = PostgresUnit(connection: connection, writable: writable)
        var units = Self.openUnits
        units[ObjectIdentifier(self)] = unit
        let outcome: BodyResult<T>
        do {
            outcome = .success(try await Self.$openUnits.withValue(units) { try await body(self) })
        } catch {
            outcome = .failure(error)
        }
        unit.finish()
        if case .failure = outcome {
            try await connection.query("ROLLBACK", logger: logger).collect()
            return (outcome, unit)
        }
        try await connection.query("COMMIT", logger: logger).collect()
        return (outcome, unit)
    }

    /// Leases a pooled connection, waiting at most ``connectTimeout`` for one (a body that has
    /// its connection runs as long as it needs).
    func withConnection<T: Sendable>(_ work: @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await withoutActuallyEscaping(work) { work in
            let box = UncheckedBox(work)
            let leased = LeaseFlag()
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await self.client.withConnection { connection in
                        leased.set()
                        let value = try await box.value(connection)
                        self.lastAnswer.withLock { $0 = ContinuousClock.now }
                        return value
                    }
                }
                group.addTask {
                    // Waiting for a busy pool (every connection in a unit queued on the writer
                    // lock) is not an outage: keep waiting while other operations still complete.
                    while true {
                        try await Task.sleep(for: self.connectTimeout)
                        if leased.isSet { return nil }
                        if let last = self.lastAnswer.withLock({ $0 }), ContinuousClock.now - last < self.connectTimeout * 3 {
                            continue
                        }
                        throw PostgresUnreachable()
                    }
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let value = next { return value }
                }
                throw CancellationError()
            }
        }
    }

    /// The unit the calling task has open on this storage that can run the operation.
    private func openUnit(writing: Bool) -> PostgresUnit? {
        guard let unit = Self.openUnits[ObjectIdentifier(self)], unit.isOpen, unit.writable || !writing else {
            return nil
        }
        return unit
    }

    /// Whether an operation reads or writes.
    enum Access { case read, write }

    /// Runs one operation's statements: in the calling task's open unit when there is one (a
    /// write needs a write unit), else in a unit of its own.
    func unit<T: Sendable>(_ access: Access, _ work: @escaping @Sendable (PostgresSQL) async throws -> T) async throws -> T {
        if let unit = openUnit(writing: access == .write) {
            guard unit.isOpen else { throw UnitOfWorkFinished() }
            return try await work(PostgresSQL(connection: unit.connection, logger: logger))
        }
        let logger = logger
        return try await withConnection { connection in
            let (result, _) = try await self.transaction(on: connection, writable: access == .write) { _ in
                try await work(PostgresSQL(connection: connection, logger: logger))
            }
            return try result.get()
        }
    }

    /// Wraps database errors: unreachable → ``ServerError/Code/unavailable`` with a retry delay;
    /// other failures → ``ServerError/Code/storage``.
    func run<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws(ServerError) -> T {
        do {
            return try await body()
        } catch let error as ServerError {
            throw error
        } catch {
            throw failure(while: what, cause: error)
        }
    }

    /// Like ``run(_:_:)``, but lets `SyncStorageConflict` and a unit's own errors through.
    func syncRun<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let conflict as SyncStorageConflict {
            throw conflict
        } catch let error as ServerError {
            throw error
        } catch {
            throw failure(while: what, cause: error)
        }
    }

    /// The typed error of a database failure.
    func failure(while what: String, cause: any Error) -> ServerError {
        if Self.isUnreachable(cause) {
            return ServerError(
                .unavailable,
                "the PostgreSQL database \(endpoint) is unreachable (while \(what)); the server reconnects by itself — retry after \(Self.retryAfterSeconds) s",
                retryAfterSeconds: Self.retryAfterSeconds, cause: cause)
        }
        return ServerError(
            .storage, "the PostgreSQL database \(endpoint) failed while \(what); see the server log and PostgreSQL's",
            cause: cause)
    }

    /// Whether `error` says the database could not be reached (rather than refused a statement).
    static func isUnreachable(_ error: any Error) -> Bool {
        if error is PostgresUnreachable { return true }
        if let error = error as? PSQLError {
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                .sslUnsupported, .failedToAddSSLHandler:
                return true
            case .server:
                // 57P01..57P03 admin shutdown, crash shutdown, cannot connect now; 08xxx connection exceptions.
                let state = error.serverInfo?[.sqlState] ?? ""
                return state.hasPrefix("57P") || state.hasPrefix("08")
            default:
                return false
            }
        }
        return error is NIOCore.IOError || error is ChannelError
    }

    /// The units open in the current task, by storage.
    @TaskLocal static var openUnits: [ObjectIdentifier: PostgresUnit] = [:]
}

/// No pooled connection became available within the connect timeout.
struct PostgresUnreachable: Error, CustomStringConvertible {
    var description: String { "no connection to PostgreSQL within the connect timeout" }
}

/// A unit body's own outcome, kept apart from the database's errors.
enum BodyResult<T: Sendable>: Sendable {
    case success(T)
    case failure(any Error)

    func get() throws -> T {
        switch self {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }
}

/// Whether a lease was granted (told to the timer racing it).
private final class LeaseFlag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { state.withLock { $0 } }
    func set() { state.withLock { $0 = true } }
}

/// A non-escaping closure carried into a child task that ends before the closure's scope does.
private struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// An open unit of work: its leased connection inside its open transaction, until ``finish()``.
final class PostgresUnit: Sendable {
    /// The connection (leased for the unit's whole life).
    let connection: PostgresConnection
    /// Whether the unit writes.
    let writable: Bool
    private let state = Mutex<(open: Bool, afterCommit: [@Sendable () async -> Void])>((true, []))

    init(connection: PostgresConnection, writable: Bool) {
        self.connection = connection
        self.writable = writable
    }

    /// Whether the unit still accepts work.
    var isOpen: Bool { state.withLock { $0.open } }

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
