import Foundation
import GRDB
import RapportSyncServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteServerStorage {
    /// The setting that counts restores; it changes whenever history may have been lost, so
    /// sync can tell devices to reset (RapportSyncServer's `generation()`).
    public static let generationSetting = "generation"

    /// Writes a consistent, compacted copy of the database to `path` with `VACUUM INTO`,
    /// while other connections keep reading and writing. The file is created with mode 0600.
    ///
    /// The copy is written to a hidden temporary file beside `path`, flushed to disk (`fsync`),
    /// then renamed to `path` and the directory flushed: `path` appears complete or not at all.
    /// On any failure (a full disk, an I/O error) the temporary file is removed.
    ///
    /// - Throws: ``ServerError/Code/conflict`` if `path` exists; ``ServerError/Code/storageFull``
    ///   or ``ServerError/Code/storageIOError`` if the disk refuses the copy;
    ///   ``ServerError/Code/storage`` if it fails otherwise.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ServerError(.conflict, "the backup file '\(path)' already exists; choose a new file name")
        }
        let temporary = DataDirectory.temporaryBackupPath(for: path)
        try DataDirectory.createPrivateFile(temporary)
        do {
            await writerLock.lock()
            do {
                try await run("writing a backup") {
                    try await self.database.writeWithoutTransaction { db in
                        try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
                    }
                }
                await writerLock.unlock()
            } catch {
                await writerLock.unlock()
                throw error
            }
            try DataDirectory.publish(temporary, as: path)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// The setting naming the organisation a database belongs to: a random id made when the
    /// database is created (or first opened by a server that knows it), kept by backups.
    public static let organisationSetting = "organisationId"

    /// Gives the database its ``organisationSetting`` once.
    static func registerOrganisationMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6-organisation-id") { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO setting (key, value) VALUES (?, lower(hex(randomblob(16))))",
                arguments: [organisationSetting])
        }
    }

    /// Replaces the database in `directory` with the backup at `backupPath`. The server must be
    /// stopped: this takes the directory's lock and fails if a server holds it.
    ///
    /// The backup is checked first: it opens, passes `PRAGMA integrity_check`, has the server
    /// schema, was not written by a newer server (no migration this server does not know), and
    /// belongs to the organisation already in `directory` (unless `allowOtherOrganisation`, or
    /// the directory holds no database). The restored database's generation is raised so
    /// devices re-sync.
    ///
    /// - Throws: ``ServerError/Code/serverRunning`` if a server uses the directory;
    ///   ``ServerError/Code/malformedRequest`` if the file is not a usable backup;
    ///   ``ServerError/Code/conflict`` for a newer schema or another organisation;
    ///   ``ServerError/Code/storage`` if files cannot be replaced.
    public static func restore(
        from backupPath: String, into directory: DataDirectory, allowOtherOrganisation: Bool = false
    ) throws(ServerError) {
        guard FileManager.default.isReadableFile(atPath: backupPath) else {
            throw ServerError(
                .malformedRequest,
                "the backup file '\(backupPath)' does not exist or is not readable; check the path given with --from")
        }
        let lock = try DataDirectoryLock(directory)
        defer { lock.release() }
        let staging = directory.path + "/rapport.restoring-\(UUID().uuidString).sqlite"
        do {
            try FileManager.default.copyItem(atPath: backupPath, toPath: staging)
            _ = chmod(staging, 0o600)
        } catch {
            throw ServerError(
                .storage, "cannot copy '\(backupPath)' into '\(directory.path)'; check disk space and permissions",
                cause: error)
        }
        let currentOrganisation = try organisation(ofDatabaseAt: directory.databasePath)
        do {
            let queue = try DatabaseQueue(path: staging)
            try queue.write { db in
                let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
                guard integrity == "ok" else {
                    throw ServerError(
                        .malformedRequest,
                        "the backup '\(backupPath)' is damaged (integrity check: \(integrity ?? "no answer")); use another backup"
                    )
                }
                guard try db.tableExists("staff"), try db.tableExists("setting") else {
                    throw ServerError(
                        .malformedRequest,
                        "'\(backupPath)' is not a Rapport server backup (no server tables); check the file")
                }
                try checkSchema(db, backupPath: backupPath)
                let organisation = try String.fetchOne(
                    db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [organisationSetting])
                if !allowOtherOrganisation, let currentOrganisation, let organisation,
                    organisation != currentOrganisation
                {
                    throw ServerError(
                        .conflict,
                        "the backup '\(backupPath)' belongs to another organisation (id \(organisation)) than the database in '\(directory.path)' (id \(currentOrganisation)); check that you picked the right backup, or restore into an empty data directory (or pass --allow-other-organisation to replace this organisation's data)"
                    )
                }
                let generation =
                    try Int.fetchOne(
                        db, sql: "SELECT CAST(value AS INTEGER) FROM setting WHERE key = ?",
                        arguments: [generationSetting]) ?? 0
                try db.execute(
                    sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)",
                    arguments: [generationSetting, String(generation + 1)])
            }
            try queue.close()
        } catch let error as ServerError {
            try? FileManager.default.removeItem(atPath: staging)
            throw error
        } catch {
            try? FileManager.default.removeItem(atPath: staging)
            throw ServerError(
                .malformedRequest, "'\(backupPath)' is not a readable SQLite backup; check the file", cause: error)
        }
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: directory.databasePath + suffix)
        }
        guard rename(staging, directory.databasePath) == 0 else {
            try? FileManager.default.removeItem(atPath: staging)
            throw ServerError(
                .storage,
                "cannot move the restored database into place (errno \(errno)); check permissions of '\(directory.path)'"
            )
        }
    }

    /// Refuses a backup written by a newer server: one with migrations this server lacks.
    private static func checkSchema(_ db: Database, backupPath: String) throws {
        let applied = try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        let unknown = Set(applied).subtracting(migrator.migrations).sorted()
        guard unknown.isEmpty else {
            throw ServerError(
                .conflict,
                "the backup '\(backupPath)' was written by a newer server (schema changes \(unknown.joined(separator: ", ")) are unknown to this one); restore it with that server version or a later one"
            )
        }
    }

    /// The organisation id of the database at `path`, or `nil` when there is none (no file, a
    /// database from before organisation ids, or one that does not open).
    private static func organisation(ofDatabaseAt path: String) throws(ServerError) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db in
            try String.fetchOne(
                db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [organisationSetting])
        }
    }
}
