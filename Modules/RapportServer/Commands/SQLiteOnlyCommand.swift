import Foundation

/// The SQLite-only operator commands (`backup`, `restore`) refuse a PostgreSQL database and
/// say what to use instead: PostgreSQL's own `pg_dump` and `pg_restore` (Docs/Operations.md).
enum SQLiteOnlyCommand {
    /// Throws when `database` (or else `RAPPORT_DATABASE`) names a PostgreSQL database.
    ///
    /// - Throws: ``ServerError/Code/invalidConfiguration`` naming `pg_dump` / `pg_restore`.
    static func refuseOnPostgres(
        _ command: String, database: String?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ServerError) {
        let given = (database ?? environment["RAPPORT_DATABASE"] ?? "").trimmingCharacters(in: .whitespaces)
        guard given.lowercased().hasPrefix("postgres") else { return }
        let url = (try? PostgresDatabaseURL(given))?.redacted ?? "the PostgreSQL database"
        throw ServerError(
            .invalidConfiguration,
            "`rapport-server \(command)` copies the SQLite database file only; this server runs on PostgreSQL (\(url)): "
                + "back it up with `pg_dump --format=custom --file=FILE DATABASE` and restore with `pg_restore --clean --dbname=DATABASE FILE` (Docs/Operations.md)"
        )
    }
}
