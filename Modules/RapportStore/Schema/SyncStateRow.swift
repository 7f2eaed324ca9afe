import GRDB

/// A row of `sync_state`: one value the sync engine keeps between runs (the pull cursor, the
/// time of the last complete sync), inside the encrypted store so it moves in the same
/// transaction as the data it describes.
struct SyncStateRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "sync_state"

    var key: String
    var value: String

    static let cursor = "pull.cursor"
    static let lastSuccess = "sync.lastSuccessMillis"

    /// The row key of an app value (kept apart from the engine's own keys).
    static func appKey(_ key: String) -> String { "app." + key }

    static func value(_ key: String, in db: Database) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM sync_state WHERE key = ?"), arguments: [key])
    }

    static func set(_ key: String, to value: String?, in db: Database) throws {
        if let value {
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO sync_state (key, value) VALUES (?, ?)")
                .execute(arguments: [key, value])
        } else {
            try db.cachedStatement(sql: "DELETE FROM sync_state WHERE key = ?").execute(arguments: [key])
        }
    }
}
