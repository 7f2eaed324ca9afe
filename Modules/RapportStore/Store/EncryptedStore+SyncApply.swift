import Foundation
import GRDB
import RapportModels

extension EncryptedStore {
    /// Applies one pull page in one transaction: server documents (each becomes the record's
    /// server state, and its local state unless outbox entries remain — then `rebase` may
    /// rebuild the local state), deletions and evictions (record, server state and pending
    /// outbox entries purged), and the page's cursor, stored inside the encrypted store.
    ///
    /// Either all of it is applied or none of it: a crash or a failure part-way leaves the
    /// previous cursor and data, so pulling again from ``syncCursor()`` is always right.
    ///
    /// ```swift
    /// let outcome = try await store.applyPage(documents: docs, deletions: gone, evictions: left, cursor: page.cursor)
    /// ```
    ///
    /// - Throws: ``StoreError/Code/invalidRecord`` if a document's JSON is not an object (a
    ///   damaged page: nothing is applied; pull again).
    @discardableResult
    public func applyPage(
        documents: [RecordDocument], deletions: [UUID] = [], evictions: [UUID] = [], cursor: String?,
        rebase: LocalRebaser? = nil
    ) async throws -> SyncApplication {
        try await write { db in
            var result = SyncApplication()
            for document in documents {
                try Self.checkServerDocument(document)
                try Self.applyServerDocument(document, rebase: rebase, into: &result, in: db)
            }
            for id in deletions + evictions {
                result.purged.append(try Self.purgeRecord(id: id, in: db))
            }
            try SyncStateRow.set(SyncStateRow.cursor, to: cursor, in: db)
            return result
        }
    }

    /// Records push results in one transaction: removes the answered outbox entries, stores
    /// the server's records (local state too where no entries remain; else `rebase` may
    /// rebuild it), purges records gone after the push, and keeps the refusals
    /// (``rejectedMutations()``). A crash leaves either the state before or after, so a
    /// replayed push (same mutation ids) is answered and applied exactly once.
    @discardableResult
    public func acknowledge(_ acknowledgement: PushAcknowledgement, rebase: LocalRebaser? = nil) async throws -> SyncApplication {
        try await write { db in
            var result = SyncApplication()
            if !acknowledgement.mutationIds.isEmpty {
                _ = try OutboxRow.filter(acknowledgement.mutationIds.contains(OutboxRow.Columns.mutationId)).deleteAll(db)
            }
            for document in acknowledgement.documents {
                try Self.checkServerDocument(document)
                try Self.applyServerDocument(document, rebase: rebase, into: &result, in: db)
            }
            for id in acknowledgement.purge {
                result.purged.append(try Self.purgeRecord(id: id, in: db))
            }
            for rejection in acknowledgement.rejections {
                try RejectedMutationRow(
                    mutationId: rejection.mutationId, kind: rejection.kind.rawValue, recordId: rejection.recordId,
                    operation: rejection.operation.rawValue, fields: try OutboxCoalescer.encode(rejection.fields),
                    reasonCode: rejection.reasonCode, message: rejection.message, field: rejection.field,
                    serverDocument: rejection.serverDocument?.json, rejectedAt: RecordWriter.millis(rejection.rejectedAt)
                ).save(db)
            }
            for (key, value) in acknowledgement.appState {
                try SyncStateRow.set(SyncStateRow.appKey(key), to: value, in: db)
            }
            return result
        }
    }

    /// A small value kept for the app or the sync engine inside the encrypted store (so it is
    /// encrypted and wiped with the data), or `nil`.
    public func appState(_ key: String) async throws -> String? {
        try await read { db in try SyncStateRow.value(SyncStateRow.appKey(key), in: db) }
    }

    /// Sets (or with `nil` removes) a value read by ``appState(_:)``.
    public func setAppState(_ key: String, to value: String?) async throws {
        try await write { db in try SyncStateRow.set(SyncStateRow.appKey(key), to: value, in: db) }
    }

    /// Writes a record's local state without an outbox entry: the result of rebasing local
    /// edits on new server state, so the user sees the merged record at once. The server
    /// state (``shadow(id:)``) is kept apart first if the record held it.
    ///
    /// Use it only for records whose outbox entries still describe the difference from the
    /// server state; an edit of the user's own goes through ``save(_:clock:)``.
    public func replaceLocal(_ document: RecordDocument) async throws {
        try await write { db in try Self.replaceLocal(document, in: db) }
    }

    /// The cursor of the last pull page applied, or `nil` before the first sync and after a
    /// reset.
    public func syncCursor() async throws -> String? {
        try await read { db in try SyncStateRow.value(SyncStateRow.cursor, in: db) }
    }

    /// When the last complete sync finished (Unix ms), or `nil`.
    public func lastSyncSuccessMillis() async throws -> Int64? {
        try await read { db in try SyncStateRow.value(SyncStateRow.lastSuccess, in: db).flatMap { Int64($0) } }
    }

    /// Records that a complete sync finished at `millis` (Unix ms).
    public func recordSyncSuccess(millis: Int64) async throws {
        try await write { db in try SyncStateRow.set(SyncStateRow.lastSuccess, to: String(millis), in: db) }
    }

    /// Forgets the server data so the next pull starts from scratch, in one transaction: the
    /// cursor is cleared and every record without outbox entries is purged (with its server
    /// state). Records with pending edits stay, to be pushed.
    ///
    /// - Returns: the purged records.
    public func resetSyncState() async throws -> [PurgedLocalRecord] {
        try await write { db in
            try SyncStateRow.set(SyncStateRow.cursor, to: nil, in: db)
            let ids = try UUID.fetchAll(
                db,
                sql: """
                    SELECT id FROM record WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.recordId = record.id)
                    UNION SELECT id FROM server_shadow WHERE NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.recordId = server_shadow.id)
                    """)
            return try ids.map { try Self.purgeRecord(id: $0, in: db) }
        }
    }

    /// Refused edits not yet dismissed, oldest first.
    public func rejectedMutations() async throws -> [RejectedMutation] {
        try await read { db in
            try RejectedMutationRow.order(RejectedMutationRow.Columns.rejectedAt).fetchAll(db).map { row in
                let kind = EntityKind(rawValue: row.kind) ?? .customer
                let server: RecordDocument? = try row.serverDocument.map { json in
                    try RecordWriter.document(kind: kind, id: row.recordId, json: json)
                }
                return RejectedMutation(
                    mutationId: row.mutationId, kind: kind, recordId: row.recordId,
                    operation: OutboxEntry.Operation(rawValue: row.operation) ?? .update,
                    fields: try OutboxCoalescer.decodeFields(row.fields), reasonCode: row.reasonCode, message: row.message,
                    field: row.field, serverDocument: server,
                    rejectedAt: Date(timeIntervalSince1970: Double(row.rejectedAt) / 1000))
            }
        }
    }

    /// Dismisses refused edits (the user has seen them); `nil` dismisses all.
    public func removeRejectedMutations(_ mutationIds: [UUID]? = nil) async throws {
        try await write { db in
            if let mutationIds {
                _ = try RejectedMutationRow.filter(mutationIds.contains(RejectedMutationRow.Columns.mutationId)).deleteAll(db)
            } else {
                _ = try RejectedMutationRow.deleteAll(db)
            }
        }
    }

    // MARK: - Statements (inside the caller's transaction)

    static func checkServerDocument(_ document: RecordDocument) throws {
        let first = document.json.utf8.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }
        let last = document.json.utf8.last { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }
        guard first == UInt8(ascii: "{"), last == UInt8(ascii: "}") else {
            throw StoreError(
                code: .invalidRecord,
                message: "the server's \(document.kind.rawValue) \(document.id) is not a JSON object; nothing was applied — sync again, and re-sync from scratch if it repeats")
        }
    }

    /// Makes `document` the record's server state; the local state too unless outbox entries
    /// remain (then `rebase` may rebuild it).
    static func applyServerDocument(
        _ document: RecordDocument, rebase: LocalRebaser?, into result: inout SyncApplication, in db: Database
    ) throws {
        let rows = try OutboxRow.filter(OutboxRow.Columns.recordId == document.id).order(OutboxRow.Columns.seq).fetchAll(db)
        if !rows.isEmpty {
            // Local edits stay; the server state goes to an explicit shadow row.
            try ShadowWriter.store(document, in: db)
            try db.cachedStatement(sql: "UPDATE record SET inSync = 0 WHERE id = ? AND inSync = 1").execute(arguments: [document.id])
            result.kept.insert(document.id)
            let entries = try rows.map(OutboxCoalescer.entry(from:))
            guard !document.isDeleted, let rebase, let rebased = rebase(document, entries) else { return }
            try replaceLocal(rebased.document, in: db)
            let pending = Dictionary(rows.map { ($0.mutationId, $0) }, uniquingKeysWith: { first, _ in first })
            for entry in rebased.entries {
                guard var row = pending[entry.mutationId], row.state == OutboxEntry.State.pending.rawValue else { continue }
                row.fields = try OutboxCoalescer.encode(entry.fields)
                row.baseFields = try OutboxCoalescer.encode(entry.baseFields)
                try row.update(db)
            }
            result.rebased.insert(document.id)
            return
        }
        if document.isDeleted {
            try RecordWriter.purge(id: document.id, in: db)
            try ShadowWriter.store(document, in: db)
        } else {
            try RecordWriter.upsert(document, inSync: true, in: db)
            try ShadowWriter.dropExplicit(id: document.id, in: db)
        }
    }

    static func replaceLocal(_ document: RecordDocument, in db: Database) throws {
        try ShadowWriter.materialize(id: document.id, in: db)
        try RecordWriter.upsert(document, deleted: document.isDeleted, inSync: false, in: db)
    }

    /// Purges a record, its server state and its outbox entries.
    static func purgeRecord(id: UUID, in db: Database) throws -> PurgedLocalRecord {
        let kind =
            try String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM record WHERE id = ?"), arguments: [id])
            ?? String.fetchOne(db.cachedStatement(sql: "SELECT kind FROM server_shadow WHERE id = ?"), arguments: [id])
        let discarded = try OutboxRow.filter(OutboxRow.Columns.recordId == id).deleteAll(db)
        try RecordWriter.purge(id: id, in: db)
        _ = try ShadowRow.deleteOne(db, key: id)
        return PurgedLocalRecord(id: id, kind: kind.flatMap(EntityKind.init(rawValue:)), wasKnown: kind != nil, discardedEntries: discarded)
    }
}
