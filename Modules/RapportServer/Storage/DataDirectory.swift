import Foundation

/// The layout of a server's data directory.
///
/// ```
/// rapport-data/
///   rapport.sqlite        the database (WAL mode: also rapport.sqlite-wal, -shm)
///   rapport.lock          held by the running server (flock), holds its pid
///   audit.key             the audit log's HMAC key (keep a copy apart from backups)
///   audit-anchors.log     the audit chain's signed heads, one line each (setting auditAnchorFile)
///   canary.key            the canary secret
///   backups/              backups made through the admin API
/// ```
///
/// The directory and everything in it belong to the server's account alone: directories 0700,
/// files 0600, whatever the umask (``DataDirectory+Permissions``).
public struct DataDirectory: Sendable, Hashable {
    /// The directory.
    public var path: String

    /// Names a data directory (nothing is created).
    public init(path: String) {
        self.path = path
    }

    /// The database file.
    public var databasePath: String { path + "/rapport.sqlite" }
    /// The lock file.
    public var lockPath: String { path + "/rapport.lock" }
    /// Where admin-API backups go.
    public var backupsPath: String { path + "/backups" }
    /// The audit key file.
    public var auditKeyPath: String { path + "/audit.key" }
    /// The default audit anchor file.
    public var auditAnchorsPath: String { path + "/audit-anchors.log" }
    /// The canary secret file.
    public var canaryKeyPath: String { path + "/canary.key" }

    /// Creates the directory (and `backups/`) with mode 0700 if missing.
    ///
    /// - Throws: ``ServerError/Code/storage`` if it cannot be created.
    public func create() throws(ServerError) {
        do {
            try Self.createPrivateDirectory(path)
            try Self.createPrivateDirectory(backupsPath)
        } catch {
            throw ServerError(
                .storage, "cannot create the data directory '\(path)'; check permissions or choose another --data-dir",
                cause: error)
        }
    }
}
