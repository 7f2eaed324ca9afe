import Foundation

/// The layout of a server's data directory.
///
/// ```
/// rapport-data/
///   rapport.sqlite        the database (WAL mode: also rapport.sqlite-wal, -shm)
///   rapport.lock          held by the running server (flock), holds its pid
///   backups/              backups made through the admin API
/// ```
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

    /// Creates the directory (and `backups/`) if missing.
    ///
    /// - Throws: ``ServerError/Code/storage`` if it cannot be created.
    public func create() throws(ServerError) {
        do {
            try FileManager.default.createDirectory(atPath: backupsPath, withIntermediateDirectories: true)
        } catch {
            throw ServerError(
                .storage, "cannot create the data directory '\(path)'; check permissions or choose another --data-dir",
                cause: error)
        }
    }
}
