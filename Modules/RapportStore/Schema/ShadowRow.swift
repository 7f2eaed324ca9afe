import Foundation
import GRDB
import RapportModels

/// A row of `server_shadow`: the last-known server version of a record, kept apart from local
/// edits so the sync engine can do a three-way merge (base = shadow, ours = record, theirs =
/// incoming). Copy-on-write: there is no row while the record itself is the server state
/// (`record.inSync`); ``ShadowWriter`` creates it before the first local edit.
struct ShadowRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "server_shadow"

    var id: UUID
    var kind: String
    var version: Int64
    var document: String

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let version = Column(CodingKeys.version)
        static let document = Column(CodingKeys.document)
    }
}

/// Reads and writes the server state of records under the copy-on-write rule: the state is
/// the `server_shadow` row if there is one, else the record row when `inSync`, else unknown.
enum ShadowWriter {
    /// The server state of `id`, wherever it is kept.
    static func serverState(id: UUID, in db: Database) throws -> ShadowRow? {
        if let row = try ShadowRow.fetchOne(db.cachedStatement(sql: "SELECT * FROM server_shadow WHERE id = ?"), arguments: [id]) {
            return row
        }
        return try ShadowRow.fetchOne(
            db.cachedStatement(sql: "SELECT id, kind, version, document FROM record WHERE id = ? AND inSync = 1"),
            arguments: [id])
    }

    /// Copies the record's row to `server_shadow` if the record is the server state, before a
    /// local edit changes it; the record is then no longer `inSync`.
    static func materialize(id: UUID, in db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT OR REPLACE INTO server_shadow (id, kind, version, document)
                SELECT id, kind, version, document FROM record WHERE id = ? AND inSync = 1
                """
        ).execute(arguments: [id])
        if db.changesCount > 0 {
            try db.cachedStatement(sql: "UPDATE record SET inSync = 0 WHERE id = ?").execute(arguments: [id])
        }
    }

    /// Stores a server state that differs from the record (or has no record).
    static func store(_ document: RecordDocument, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR REPLACE INTO server_shadow (id, kind, version, document) VALUES (?, ?, ?, ?)")
        statement.setUncheckedArguments([document.id, document.kind.rawValue, document.version, document.json])
        try statement.execute()
    }

    /// Drops the explicit row once the record itself holds the server state.
    static func dropExplicit(id: UUID, in db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM server_shadow WHERE id = ?").execute(arguments: [id])
    }
}
