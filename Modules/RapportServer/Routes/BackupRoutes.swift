import Foundation
import Hummingbird
import Logging

/// `POST /v1/admin/backup`: writes a consistent copy of the database into the data
/// directory's `backups/` folder while the server keeps serving, then deletes the oldest
/// backups there beyond `backupRetention`.
struct BackupRoutes: RouteModule {
    struct BackupResult: Codable, Sendable {
        /// The backup file's path on the server.
        var path: String
        /// Its size in bytes.
        var bytes: Int
        /// When it was taken.
        var createdAt: Date
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("backup") { _, context in
            let createdAt = Date()
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions.insert(.withFractionalSeconds)
            // Names sort by time (retention keeps the last ones by name).
            let stamp = formatter.string(from: createdAt).replacingOccurrences(of: ":", with: "")
            let path = services.dataDirectory.backupsPath + "/rapport-\(stamp)-\(UUID().uuidString.prefix(8)).sqlite"
            try services.dataDirectory.create()
            // A copy of the SQLite file: an operator command outside the storage seam.
            guard let file = services.sqliteFile else {
                throw ServerError(
                    .conflict, "this server's database is not an SQLite file; back it up with the database's own tools (pg_dump)")
            }
            try await file.backup(to: path)
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            context.logger.notice("backup written", metadata: ["path": "\(path)", "bytes": "\(size)"])
            let deleted = services.dataDirectory.pruneBackups(keeping: services.configuration.backupRetention)
            if !deleted.isEmpty {
                context.logger.notice(
                    "old backups deleted (backupRetention)",
                    metadata: ["deleted": "\(deleted.count)", "kept": "\(services.configuration.backupRetention)"])
            }
            return try Response.json(BackupResult(path: path, bytes: size, createdAt: createdAt), status: .created)
        }
    }
}
