import CSQLite
import Foundation
import GRDB
import RapportModels

/// The encrypted local store of a device: customers and their records, the server shadow
/// state, and the offline outbox, in one SQLite file whose every page is encrypted.
///
/// Open it with a passcode or a platform key; query it with typed async calls; observe
/// queries as async streams. Local edits (``save(_:clock:)``, ``delete(_:id:clock:)``) write
/// their outbox entry in the same transaction. See `Docs/Store.md` for the file format and
/// key hierarchy.
///
/// ```swift
/// let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)])
/// try await store.save(customer, clock: hlc.now())
/// let mine = try await store.entities(Customer.self, RecordQuery(kind: .customer, ownerId: me))
/// try await store.close()
/// ```
public actor EncryptedStore {
    /// The database file's path.
    public nonisolated let path: String
    /// The configuration the store was opened with.
    public nonisolated let configuration: StoreConfiguration

    var database: (any DatabaseWriter)?
    var keyEntry: VFSKeyEntry?
    var keyFile: KeyFile?
    let encrypted: Bool

    init(path: String, configuration: StoreConfiguration, encrypted: Bool) {
        self.path = path
        self.configuration = configuration
        self.encrypted = encrypted
    }

    deinit {
        if let keyEntry { VFSKeyRegistry.remove(keyEntry) }
    }

    /// The key file's path, `<database>.keys`.
    public nonisolated var keyFilePath: String { path + ".keys" }

    /// The files that make up the store besides the key file.
    nonisolated var databaseFiles: [String] {
        [path, path + "-wal", path + "-shm", path + "-journal"]
    }

    // MARK: - Running database work

    func writer() throws -> any DatabaseWriter {
        guard let database else {
            throw StoreError(code: .closed, message: "the store at \(path) is closed; open it again")
        }
        return database
    }

    /// Runs `body` in a write transaction, mapping errors to ``StoreError``.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let database = try writer()
        let entry = keyEntry
        do {
            return try await database.write(body)
        } catch {
            throw Self.storeError(error, entry: entry)
        }
    }

    /// Runs `body` in a read transaction, mapping errors to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let database = try writer()
        let entry = keyEntry
        do {
            return try await database.read(body)
        } catch {
            throw Self.storeError(error, entry: entry)
        }
    }

    /// Turns any error from SQLite, GRDB or the VFS into a ``StoreError``, using what the VFS
    /// recorded to tell tampering, moved pages and truncation apart.
    static func storeError(_ error: any Error, entry: VFSKeyEntry?) -> StoreError {
        if let error = error as? StoreError { return error }
        if var failure = entry?.takeFailure()?.storeError {
            failure.cause = error
            return failure
        }
        if let error = error as? DatabaseError {
            switch error.resultCode {
            case .SQLITE_NOTADB:
                return StoreError(
                    code: .notARapportStore,
                    message: "SQLite cannot read the file (\(error.message ?? "not a database")); it is encrypted, or not a database at all",
                    cause: error)
            case .SQLITE_FULL:
                return StoreError(
                    code: .storeFull,
                    message: "the store is full (its size limit, or the disk): the change was not saved and the store is unchanged; sync to send pending edits, free space or raise StoreConfiguration.maximumSizeBytes, then try again",
                    cause: error)
            case .SQLITE_CORRUPT:
                return StoreError(
                    code: .pageAuthenticationFailed,
                    message: "the database is damaged (\(error.message ?? "corrupt")); restore it from a backup or re-sync the store",
                    cause: error)
            default:
                return StoreError(code: .database, message: "SQLite failed: \(error.message ?? "\(error.resultCode)")", cause: error)
            }
        }
        return StoreError(code: .database, message: "the store failed: \(error)", cause: error)
    }

    // MARK: - Opening connections

    /// Opens the SQLite connections for `path` (a URI for encrypted stores) and migrates.
    static func openDatabase(
        path: String, configuration: StoreConfiguration, encrypted: Bool
    ) throws -> any DatabaseWriter {
        var config = Configuration()
        config.label = "RapportStore"
        config.maximumReaderCount = max(1, configuration.maximumReaderCount)
        config.busyMode = .timeout(10)
        let cacheKiB = configuration.pageCacheKiB
        let journal = configuration.journal
        let maximumSizeBytes = configuration.maximumSizeBytes
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -\(cacheKiB); PRAGMA mmap_size = 0")
            guard !db.configuration.readonly else { return }
            if encrypted, try Int.fetchOne(db, sql: "PRAGMA page_count") == 0 {
                try db.execute(sql: "PRAGMA page_size = \(PageLayout.pageSize)")
                var reserve = Int32(PageLayout.reservedByteCount)
                let rc = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve)
                guard rc == SQLITE_OK else {
                    throw StoreError(code: .database, message: "SQLite refused the page layout's reserved bytes (code \(rc)); use SQLite 3.34 or later")
                }
            }
            if journal == .persistentRollback {
                try db.execute(sql: "PRAGMA journal_mode = PERSIST")
            }
            // The size limit (StoreConfiguration.maximumSizeBytes): SQLite refuses, with
            // SQLITE_FULL and a rolled-back transaction, any write that needs more pages.
            if let maximumSizeBytes {
                let pageSize = try Int.fetchOne(db, sql: "PRAGMA page_size") ?? PageLayout.pageSize
                try db.execute(sql: "PRAGMA max_page_count = \(max(1, maximumSizeBytes / max(pageSize, 1)))")
            }
        }
        let database: any DatabaseWriter =
            switch journal {
            case .wal: try DatabasePool(path: path, configuration: config)
            case .persistentRollback: try DatabaseQueue(path: path, configuration: config)
            }
        try StoreSchema.migrator.migrate(database)
        return database
    }
}
