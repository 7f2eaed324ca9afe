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
    /// - Throws: ``ServerError/Code/conflict`` if `path` exists, ``ServerError/Code/storage``
    ///   if the copy fails.
    public func backup(to path: String) async throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw ServerError(.conflict, "the backup file '\(path)' already exists; choose a new file name")
        }
        try DataDirectory.createPrivateFile(path)
        do {
            await writerLock.lock()
            do {
                try await run("writing a backup") {
                    try await self.database.writeWithoutTransaction { db in
                        try db.execute(sql: "VACUUM INTO ?", arguments: [path])
                    }
                }
                await writerLock.unlock()
            } catch {
                await writerLock.unlock()
                throw error
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// Replaces the database in `directory` with the backup at `backupPath`. The server must be
    /// stopped: this takes the directory's lock and fails if a server holds it.
    ///
    /// The backup is checked first (opens, passes `PRAGMA integrity_check`, has the server
    /// schema); the restored database's generation is raised so devices re-sync.
    ///
    /// - Throws: ``ServerError/Code/serverRunning`` if a server uses the directory;
    ///   ``ServerError/Code/malformedRequest`` if the file is not a usable backup;
    ///   ``ServerError/Code/storage`` if files cannot be replaced.
    public static func restore(from backupPath: String, into directory: DataDirectory) throws(ServerError) {
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
}
