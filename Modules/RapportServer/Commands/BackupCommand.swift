import ArgumentParser
import Foundation

/// `rapport-server backup --data-dir D --to FILE`: writes a consistent copy of the database,
/// whether or not a server is running on it.
public struct BackupCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "backup", abstract: "Copy the server database to a file (safe while the server runs).")

    @Option(name: .long, help: "Data directory of the server.") var dataDir: String = "./rapport-data"
    @Option(name: .long, help: "The backup file to write (must not exist).") var to: String
    @Option(name: .long, help: "The server's database, if PostgreSQL (refused: use pg_dump). Default: RAPPORT_DATABASE.")
    var database: String?

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// Writes the backup.
    public func run() async throws {
        do {
            try SQLiteOnlyCommand.refuseOnPostgres("backup", database: database)
            try await Self.backup(dataDirectory: DataDirectory(path: dataDir), to: to)
            print("backup written to \(to)")
        } catch let error as ServerError {
            FileHandle.standardError.write(Data("rapport-server backup: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Writes a backup of the database in `dataDirectory` to `path`.
    ///
    /// - Throws: ``ServerError/Code/notFound`` if there is no database there; the errors of
    ///   ``SQLiteServerStorage/backup(to:)``.
    public static func backup(dataDirectory: DataDirectory, to path: String) async throws {
        guard FileManager.default.fileExists(atPath: dataDirectory.databasePath) else {
            throw ServerError(.notFound, "there is no server database in '\(dataDirectory.path)'; check --data-dir")
        }
        let storage = try SQLiteServerStorage(path: dataDirectory.databasePath)
        try await storage.backup(to: path)
    }
}
