import ArgumentParser
import Foundation

/// `rapport-server restore --from FILE --data-dir D`: replaces the database with a backup.
/// The server must be stopped; the command refuses while one holds the data directory.
///
/// The restored database ends where the backup was taken, before the newest audit anchors, so
/// the anchor file is archived (`audit-anchors.log.before-restore-<time>`, kept for the
/// investigation of what the restore dropped) and restarted from the backup's checkpoints.
public struct RestoreCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the server database with a backup (server stopped).")

    @Option(name: .long, help: "The backup file.") var from: String
    @Option(name: .long, help: "Data directory of the server.") var dataDir: String = "./rapport-data"
    @Option(name: .long, help: "Audit anchor file, if not the data directory's audit-anchors.log.")
    var auditAnchorFile: String?
    @Flag(name: .long, help: "Restore although the backup belongs to another organisation than the data directory's.")
    var allowOtherOrganisation = false
    @Option(name: .long, help: "The server's database, if PostgreSQL (refused: use pg_restore). Default: RAPPORT_DATABASE.")
    var database: String?

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// Restarts `anchors` from the checkpoints of the restored database in `directory`.
    ///
    /// - Returns: where the previous anchor file was archived, if there was one.
    public static func restartAnchors(_ anchors: AuditAnchorFile, directory: DataDirectory) async throws -> String? {
        let storage = try SQLiteServerStorage(path: directory.databasePath)
        return try anchors.restart(from: try await storage.auditCheckpoints())
    }

    /// Restores the backup.
    public func run() async throws {
        do {
            try SQLiteOnlyCommand.refuseOnPostgres("restore", database: database)
            let directory = DataDirectory(path: dataDir)
            try SQLiteServerStorage.restore(
                from: from, into: directory, allowOtherOrganisation: allowOtherOrganisation)
            let anchors = AuditAnchorFile(path: auditAnchorFile ?? directory.auditAnchorsPath)
            let archived = try await Self.restartAnchors(anchors, directory: directory)
            print("restored \(from) into \(dataDir); devices will re-sync from scratch")
            if let archived {
                print("the audit anchors from before the restore are kept in \(archived)")
            }
        } catch {
            FileHandle.standardError.write(Data("rapport-server restore: \(ServerError.from(error).message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
