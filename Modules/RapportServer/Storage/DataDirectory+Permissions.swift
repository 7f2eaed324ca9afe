import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The data directory belongs to the server's account alone: the server creates directories
/// 0700 and files 0600 whatever the umask, and refuses to start on a directory or a file that
/// group or others can read or write (Docs/Security.md, "At rest on the server").
extension DataDirectory {
    /// Mode bits that give group or others any access.
    static let openBits: mode_t = 0o077

    /// The files whose modes ``checkPrivate(also:)`` checks: the database and its WAL and
    /// shared-memory files, the keys, the lock file, and every backup.
    public var privateFiles: [String] {
        var files = [
            databasePath, databasePath + "-wal", databasePath + "-shm", lockPath, auditKeyPath, auditAnchorsPath,
            canaryKeyPath,
        ]
        if let backups = try? FileManager.default.contentsOfDirectory(atPath: backupsPath) {
            files += backups.sorted().map { backupsPath + "/" + $0 }
        }
        return files
    }

    /// Refuses a data directory (or any of its ``privateFiles`` and `also`) that group or
    /// others can read or write; what does not exist yet passes.
    ///
    /// - Throws: ``ServerError/Code/storage`` naming the path, its mode and the `chmod` that fixes it.
    public func checkPrivate(also extra: [String] = []) throws(ServerError) {
        for directory in [path, backupsPath] {
            if let mode = Self.mode(directory), mode & Self.openBits != 0 {
                throw ServerError(
                    .storage,
                    "the data directory '\(directory)' can be read or entered by group or others (mode \(String(mode, radix: 8))); it holds the customer database and keys — run `chmod 700 '\(directory)'` (and check who could have copied it), then start again"
                )
            }
        }
        for file in privateFiles + extra {
            if let mode = Self.mode(file), mode & Self.openBits != 0 {
                throw ServerError(
                    .storage,
                    "'\(file)' can be read or written by group or others (mode \(String(mode, radix: 8))); run `chmod 600 '\(file)'` (and check who could have copied it), then start again"
                )
            }
        }
    }

    /// Creates `path` as an empty file with mode 0600 unless it exists (SQLite then gives its
    /// WAL and shared-memory files the same mode; `VACUUM INTO` fills an empty file).
    ///
    /// - Throws: ``ServerError/Code/storage`` if it cannot be created.
    public static func createPrivateFile(_ path: String) throws(ServerError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return }
            throw ServerError(.storage, "cannot create '\(path)' (errno \(errno)); check the directory's permissions")
        }
        _ = fchmod(fd, 0o600)
        close(fd)
    }

    /// Creates `path` and missing parents with mode 0700 (whatever the umask); an existing
    /// directory is left as it is (``checkPrivate(also:)`` judges it).
    static func createPrivateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue { return }
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = chmod(path, 0o700)
    }

    /// The permission bits of `path`, or `nil` when it does not exist.
    static func mode(_ path: String) -> mode_t? {
        // Through FileManager rather than `stat()`: a release build does not see `stat`'s
        // members from Glibc here (member-import visibility names CDispatch instead).
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.uint16Value
        else { return nil }
        return mode_t(mode) & 0o777
    }
}
