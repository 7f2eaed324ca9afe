import ArgumentParser
import Foundation

/// `rapport-server restore --from FILE --data-dir D`: replaces the database with a backup.
/// The server must be stopped; the command refuses while one holds the data directory.
public struct RestoreCommand: AsyncParsableCommand {
    /// Command metadata.
    public static let configuration = CommandConfiguration(
        commandName: "restore", abstract: "Replace the server database with a backup (server stopped).")

    @Option(name: .long, help: "The backup file.") var from: String
    @Option(name: .long, help: "Data directory of the server.") var dataDir: String = "./rapport-data"

    /// Creates the command (argument parsing fills it).
    public init() {}

    /// Restores the backup.
    public func run() async throws {
        do {
            try SQLiteServerStorage.restore(from: from, into: DataDirectory(path: dataDir))
            print("restored \(from) into \(dataDir); devices will re-sync from scratch")
        } catch {
            FileHandle.standardError.write(Data("rapport-server restore: \(error.message)\n".utf8))
            throw ExitCode.failure
        }
    }
}
