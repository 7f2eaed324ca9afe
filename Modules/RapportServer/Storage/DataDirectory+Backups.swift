import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Backups in the data directory: complete files only (written under a temporary name, flushed,
/// renamed) and a retention of the newest `backupRetention` admin-API backups.
extension DataDirectory {
    /// The name prefix of backups made through the admin API (`rapport-<time>-<id>.sqlite`).
    static let backupPrefix = "rapport-"
    /// What marks a backup still being written: `.<name>.partial-<id>`.
    static let partialMarker = ".partial-"

    /// The hidden temporary file a backup to `path` is written to first, in the same directory
    /// (so the final rename stays on one file system).
    static func temporaryBackupPath(for path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().appendingPathComponent(
            "." + url.lastPathComponent + partialMarker + UUID().uuidString.prefix(8)
        ).path
    }

    /// Flushes `temporary` to disk, renames it to `path` and flushes the directory entry.
    ///
    /// - Throws: ``ServerError/Code/storageIOError`` if the disk refuses (the caller removes
    ///   `temporary`), ``ServerError/Code/conflict`` if `path` appeared meanwhile.
    static func publish(_ temporary: String, as path: String) throws(ServerError) {
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        guard fd >= 0, fsync(fd) == 0 else {
            let failure = errno
            if fd >= 0 { close(fd) }
            throw ServerError(
                .storageIOError,
                "cannot flush the backup '\\(path)' to disk (errno \\(failure)); check the disk, then take the backup again",
                retryAfterSeconds: ServerError.storageRetrySeconds)
        }
        close(fd)
        // link() refuses an existing name, so a file that appeared since the check survives.
        if link(temporary, path) != 0 {
            let failure = errno
            if failure == EEXIST {
                throw ServerError(.conflict, "the backup file '\\(path)' already exists; choose a new file name")
            }
            guard rename(temporary, path) == 0 else {
                throw ServerError(
                    .storageIOError,
                    "cannot move the finished backup to '\\(path)' (errno \\(errno)); check the directory's permissions and disk",
                    retryAfterSeconds: ServerError.storageRetrySeconds)
            }
        } else {
            unlink(temporary)
        }
        let directory = open(URL(fileURLWithPath: path).deletingLastPathComponent().path, O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }

    /// The admin-API backups in `backups/`, oldest first (their names start with the time).
    public func apiBackups() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backupsPath)) ?? []
        return names.filter { $0.hasPrefix(Self.backupPrefix) && $0.hasSuffix(".sqlite") }.sorted()
            .map { backupsPath + "/" + $0 }
    }

    /// Deletes the oldest admin-API backups beyond the newest `keeping` (`0` keeps all).
    ///
    /// - Returns: the deleted files.
    @discardableResult
    public func pruneBackups(keeping: Int) -> [String] {
        guard keeping > 0 else { return [] }
        let backups = apiBackups()
        let expired = Array(backups.dropLast(keeping))
        for path in expired { try? FileManager.default.removeItem(atPath: path) }
        return expired
    }

    /// Deletes the temporary files of backups that a crash interrupted (in `backups/`); call
    /// only while holding the directory's lock, before serving.
    ///
    /// - Returns: the deleted files.
    @discardableResult
    public func removeAbandonedBackups() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: backupsPath)) ?? []
        let abandoned = names.filter { $0.hasPrefix(".") && $0.contains(Self.partialMarker) }
            .map { backupsPath + "/" + $0 }
        for path in abandoned { try? FileManager.default.removeItem(atPath: path) }
        return abandoned
    }
}
