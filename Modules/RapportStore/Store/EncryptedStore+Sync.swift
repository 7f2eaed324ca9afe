import Foundation
import GRDB
import RapportModels

extension EncryptedStore {
    /// Records server state: each document becomes the record's shadow (base of the next
    /// three-way merge) and, unless the record has unsynced local edits, its local state too.
    /// One transaction for the whole batch. (Stored copy-on-write: a record that takes the
    /// server state is itself the shadow; see `Docs/Store.md`.)
    ///
    /// - Returns: the ids whose local edits were kept (the sync engine merges those).
    @discardableResult
    public func applyServerDocuments(_ documents: [RecordDocument]) async throws -> Set<UUID> {
        try await write { db in
            var kept: Set<UUID> = []
            let hasOutbox = try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0 > 0
            for document in documents {
                if hasOutbox,
                    try OutboxRow.filter(OutboxRow.Columns.recordId == document.id).fetchCount(db) > 0
                {
                    // Local edits stay; the server state goes to an explicit shadow row.
                    try ShadowWriter.store(document, in: db)
                    try db.cachedStatement(sql: "UPDATE record SET inSync = 0 WHERE id = ? AND inSync = 1")
                        .execute(arguments: [document.id])
                    kept.insert(document.id)
                    continue
                }
                if document.isDeleted {
                    try RecordWriter.purge(id: document.id, in: db)
                    try ShadowWriter.store(document, in: db)
                } else {
                    try RecordWriter.upsert(document, inSync: true, in: db)
                    try ShadowWriter.dropExplicit(id: document.id, in: db)
                }
            }
            return kept
        }
    }

    /// Server records as entities; see ``applyServerDocuments(_:)``.
    @discardableResult
    public func applyServerRecords<E: Entity>(_ entities: [E]) async throws -> Set<UUID> {
        let fields = configuration.searchableFields
        return try await applyServerDocuments(entities.map { try RecordDocument($0, searchableFields: fields) })
    }

    /// The last-known server state of a record.
    public func shadow(id: UUID) async throws -> ServerShadow? {
        try await read { db in
            guard let row = try ShadowWriter.serverState(id: id, in: db), let kind = EntityKind(rawValue: row.kind) else {
                return nil
            }
            return ServerShadow(kind: kind, id: row.id, version: row.version, json: row.document)
        }
    }

    /// Outbox entries in the order they were made.
    public func outbox(limit: Int? = nil) async throws -> [OutboxEntry] {
        try await read { db in
            var request = OutboxRow.order(OutboxRow.Columns.seq)
            if let limit { request = request.limit(limit) }
            return try request.fetchAll(db).map(OutboxCoalescer.entry(from:))
        }
    }

    /// Marks entries as handed to the sync engine: later edits no longer coalesce into them.
    public func markSending(_ mutationIds: [UUID]) async throws {
        try await write { db in
            _ = try OutboxRow.filter(mutationIds.contains(OutboxRow.Columns.mutationId))
                .updateAll(db, Column("state").set(to: OutboxEntry.State.sending.rawValue))
        }
    }

    /// Removes acknowledged (or refused and rolled back) entries from the outbox.
    public func removeFromOutbox(_ mutationIds: [UUID]) async throws {
        try await write { db in
            _ = try OutboxRow.filter(mutationIds.contains(OutboxRow.Columns.mutationId)).deleteAll(db)
        }
    }

    /// Purges records that left the device's scope: record, shadow and outbox entries.
    public func evict(_ ids: [UUID]) async throws {
        try await write { db in
            for id in ids {
                try RecordWriter.purge(id: id, in: db)
                _ = try ShadowRow.deleteOne(db, key: id)
                _ = try OutboxRow.filter(OutboxRow.Columns.recordId == id).deleteAll(db)
            }
        }
    }
}
