import Foundation
import GRDB
import RapportModels

/// The statements that change local records, the full-text index, shadows and the outbox.
/// All run inside the caller's transaction.
enum RecordWriter {
    static func millis(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Inserts or replaces a record row and its full-text entry. `inSync`: the document is the
    /// server state (the caller removes any `server_shadow` row), or a local edit (the caller
    /// has materialized the shadow first, see ``ShadowWriter/materialize(id:in:)``).
    static func upsert(_ document: RecordDocument, deleted: Bool? = nil, inSync: Bool, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                INSERT INTO record (id, kind, ownerId, teamId, customerId, tier, name, updatedAt, deleted, version, document, inSync)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET
                    kind = excluded.kind, ownerId = excluded.ownerId, teamId = excluded.teamId,
                    customerId = excluded.customerId, tier = excluded.tier, name = excluded.name,
                    updatedAt = excluded.updatedAt, deleted = excluded.deleted, version = excluded.version,
                    document = excluded.document, inSync = excluded.inSync
                RETURNING seq
                """)
        let isDeleted = deleted ?? document.isDeleted
        statement.setUncheckedArguments([
            document.id, document.kind.rawValue, document.ownerId, document.teamId, document.customerId,
            document.tier, document.name, millis(document.updatedAt), isDeleted, document.version, document.json, inSync,
        ])
        guard let seq = try Int64.fetchOne(statement) else { return }
        try db.cachedStatement(sql: "DELETE FROM record_fts WHERE rowid = ?").execute(arguments: [seq])
        if !isDeleted {
            try db.cachedStatement(sql: "INSERT INTO record_fts (rowid, name, body) VALUES (?, ?, ?)")
                .execute(arguments: [seq, document.name ?? "", document.searchText])
        }
    }

    /// Removes a record row and its full-text entry.
    static func purge(id: UUID, in db: Database) throws {
        if let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM record WHERE id = ?"), arguments: [id]) {
            try db.cachedStatement(sql: "DELETE FROM record_fts WHERE rowid = ?").execute(arguments: [seq])
            try db.cachedStatement(sql: "DELETE FROM record WHERE seq = ?").execute(arguments: [seq])
        }
    }

    /// Marks a record deleted (a tombstone) and drops it from the full-text index.
    static func markDeleted(id: UUID, at date: Date, in db: Database) throws {
        if let seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM record WHERE id = ?"), arguments: [id]) {
            try db.cachedStatement(sql: "DELETE FROM record_fts WHERE rowid = ?").execute(arguments: [seq])
            try db.cachedStatement(sql: "UPDATE record SET deleted = 1, inSync = 0, updatedAt = ? WHERE seq = ?")
                .execute(arguments: [millis(date), seq])
        }
    }

    static func document(from row: RecordRow) throws -> RecordDocument {
        guard let kind = EntityKind(rawValue: row.kind) else {
            throw StoreError(code: .invalidRecord, message: "record \(row.id) has unknown kind '\(row.kind)'; update the app")
        }
        return RecordDocument(
            kind: kind, id: row.id, ownerId: row.ownerId, teamId: row.teamId, customerId: row.customerId,
            tier: row.tier, name: row.name, updatedAt: Date(timeIntervalSince1970: Double(row.updatedAt) / 1000),
            isDeleted: row.deleted, version: row.version, json: row.document)
    }
}

extension RecordWriter {
    /// The field map of a stored JSON document of `kind`.
    static func fieldMap(kind: EntityKind, json: String) throws -> [String: JSONValue] {
        func decode<E: Entity>(_ type: E.Type) throws -> [String: JSONValue] {
            try RapportJSON.decode(E.self, from: Data(json.utf8)).fieldMap()
        }
        return try decode(kind.entityType)
    }
}

extension RecordWriter {
    /// A document from stored JSON whose columns are not at hand (decodes the entity).
    static func document(kind: EntityKind, id: UUID, json: String) throws -> RecordDocument {
        func make<E: Entity>(_ type: E.Type) throws -> RecordDocument {
            var document = try RecordDocument(try RapportJSON.decode(E.self, from: Data(json.utf8)))
            document.json = json
            return document
        }
        do {
            return try make(kind.entityType)
        } catch {
            throw StoreError(code: .invalidRecord, message: "record \(id) does not decode as \(kind.rawValue); the app may be older than the data", cause: error)
        }
    }
}
