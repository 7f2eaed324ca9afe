import Foundation
import GRDB
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `--demo` seeding as one all-or-nothing step: the demo organisation is written into a copy of
/// the database (`rapport.demo-seeding.sqlite`), and the copy replaces the database only once
/// seeding finished and the copy is on disk. A crash, a full disk or any failure before that
/// leaves the database as it was (no half-seeded organisation), and the next `--demo` start
/// seeds again from the start, removing the abandoned copy.
extension DemoSeeder {
    /// The staging copy's path in `directory`.
    public static func stagingPath(in directory: DataDirectory) -> String {
        directory.path + "/rapport.demo-seeding.sqlite"
    }

    /// Seeds the demo organisation into the database of `configuration`'s data directory unless
    /// it already was, all or nothing. The caller holds the directory's lock and has no
    /// connection open on the database.
    ///
    /// - Parameters:
    ///   - customerCount: demo customers to create (2,000 by default).
    ///   - prepareStaging: runs on the staging database before seeding (tests inject faults).
    /// - Returns: the logins created; empty when the organisation was seeded before.
    /// - Throws: the failure that stopped seeding (the database is unchanged), or
    ///   ``ServerError/Code/storage`` if the finished copy cannot replace the database.
    public static func seedAtomically(
        configuration: ServerConfiguration, logger: Logger, customerCount: Int = 2_000,
        prepareStaging: @Sendable (SQLiteServerStorage) async throws -> Void = { _ in }
    ) async throws -> [Login] {
        let directory = DataDirectory(path: configuration.dataDirectory)
        let staging = stagingPath(in: directory)
        removeDatabaseFiles(staging)
        if FileManager.default.fileExists(atPath: directory.databasePath) {
            let current = try SQLiteServerStorage(path: directory.databasePath)
            if try await current.setting(seededSetting) != nil {
                try current.close()
                return []
            }
            try await current.backup(to: staging)
            try current.close()
        }
        let logins: [Login]
        do {
            let storage = try SQLiteServerStorage(path: staging)
            // No fsync per commit: a crash discards the copy anyway, and the finished copy is
            // flushed once before it replaces the database.
            try await storage.database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = OFF")
            }
            try await prepareStaging(storage)
            let services = ServerServices(configuration: configuration, storage: storage, logger: logger)
            logins = try await DemoSeeder(identity: services.identity, customerCount: customerCount).seed()
            try storage.close()
        } catch {
            removeDatabaseFiles(staging)
            logger.error(
                "demo seeding failed; the database is unchanged and the next --demo start seeds again",
                metadata: ["error": "\(error)"])
            throw error
        }
        try replace(directory.databasePath, with: staging)
        return logins
    }

    /// Moves the closed, checkpointed `staging` database over `target` (whose connections are
    /// closed too): the WAL files of both must be gone, or the move would pair a database with
    /// another one's log.
    private static func replace(_ target: String, with staging: String) throws(ServerError) {
        for path in [target, staging] where (fileSize(path + "-wal") ?? 0) > 0 {
            removeDatabaseFiles(staging)
            throw ServerError(
                .storage,
                "demo seeding could not finish: '\(path)-wal' still holds changes after closing; the database is unchanged, start again"
            )
        }
        for suffix in ["-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: target + suffix)
            try? FileManager.default.removeItem(atPath: staging + suffix)
        }
        let fd = open(staging, O_RDONLY | O_CLOEXEC)
        let synced = fd >= 0 && fsync(fd) == 0
        if fd >= 0 { close(fd) }
        guard synced, rename(staging, target) == 0 else {
            let failure = errno
            removeDatabaseFiles(staging)
            throw ServerError(
                .storage,
                "cannot move the seeded demo database into place (errno \(failure)); the database is unchanged, check the disk and start again"
            )
        }
        let directory = open((target as NSString).deletingLastPathComponent, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// Removes the database at `path`, its WAL files, and copies of it a crash left unfinished.
    private static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let url = URL(fileURLWithPath: path)
        let partial = "." + url.lastPathComponent + DataDirectory.partialMarker
        let folder = url.deletingLastPathComponent().path
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(partial) {
            try? FileManager.default.removeItem(atPath: folder + "/" + name)
        }
    }

    private static func fileSize(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
    }
}
