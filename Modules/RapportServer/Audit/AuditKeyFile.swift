import Foundation
import RapportCrypto

/// The server's audit key: 32 random bytes in `audit.key` in the data directory (mode 0600),
/// made on first use. Checkpoints are HMAC-SHA-256 under it, so keep a copy of the file apart
/// from backups of the database: whoever holds both can rewrite the log undetectably.
public struct AuditKeyFile: Sendable, Hashable {
    /// The key file's path.
    public var path: String

    /// The key file of a data directory.
    public init(directory: DataDirectory) {
        self.path = directory.auditKeyPath
    }

    /// A key file at `path`.
    public init(path: String) {
        self.path = path
    }

    /// Reads the key, creating the file with a fresh key if it does not exist.
    ///
    /// - Throws: ``ServerError/Code/storage`` if the file cannot be read or written, or does not
    ///   hold exactly 32 bytes.
    public func loadOrCreate() throws(ServerError) -> SymmetricKey {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            let bytes = SecureRandom.bytes(count: 32)
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
                guard manager.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600])
                else {
                    throw ServerError(.storage, "cannot create '\(path)'")
                }
            } catch {
                throw ServerError(
                    .storage, "cannot create the audit key file '\(path)'; check the data directory's permissions",
                    cause: error)
            }
        }
        guard let data = manager.contents(atPath: path) else {
            throw ServerError(
                .storage, "cannot read the audit key file '\(path)'; check its permissions (the server must read it)")
        }
        guard data.count == 32, let key = try? SymmetricKey(bytes: Array(data)) else {
            throw ServerError(
                .storage,
                "the audit key file '\(path)' does not hold a 32-byte key; restore it from its separate copy")
        }
        return key
    }
}
