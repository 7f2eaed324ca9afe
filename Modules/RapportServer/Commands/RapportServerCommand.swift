import ArgumentParser
import RapportModels

/// `rapport-server`: run the server (default), back it up, restore it, add an administrator,
/// check a stopped data directory.
///
/// ```
/// rapport-server                      # serve with defaults
/// rapport-server serve --port 9000 --data-dir /var/lib/rapport
/// rapport-server backup --data-dir /var/lib/rapport --to /backups/rapport.sqlite
/// rapport-server restore --from /backups/rapport.sqlite --data-dir /var/lib/rapport
/// rapport-server add-admin --data-dir /var/lib/rapport --login li.na --name "Li Na"
/// rapport-server check --data-dir /var/lib/rapport
/// ```
public struct RapportServerCommand: AsyncParsableCommand {
    /// The command tree.
    public static let configuration = CommandConfiguration(
        commandName: "rapport-server",
        abstract: "The Rapport sync server.",
        discussion: "See Docs/Operations.md for every setting, its environment variable and its default.",
        version: RapportVersion.line(for: "rapport-server"),
        subcommands: [
            ServeCommand.self, BackupCommand.self, RestoreCommand.self, AddAdminCommand.self, CheckCommand.self,
        ],
        defaultSubcommand: ServeCommand.self)

    /// Creates the command (argument parsing fills it).
    public init() {}
}
