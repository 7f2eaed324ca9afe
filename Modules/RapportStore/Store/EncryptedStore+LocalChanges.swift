import Foundation
import GRDB
import RapportModels

extension EncryptedStore {
    /// Saves a local create or edit of `entity` and records it in the outbox, in one
    /// transaction.
    ///
    /// Only fields that differ from the stored record go into the outbox; saving an unchanged
    /// record writes nothing. The entry keeps each field's value before its first edit as the
    /// merge base (``OutboxEntry/baseFields``). `clock` is the sync layer's timestamp for the edit (opaque here).
    ///
    /// - Returns: the outbox entry now pending for the record, or `nil` if nothing changed.
    /// - Throws: ``StoreError/Code/recordDeleted`` if the record was deleted locally;
    ///   ``StoreError/Code/invalidRecord`` if it does not encode.
    @discardableResult
    public func save<E: Entity>(_ entity: E, clock: String) async throws -> OutboxEntry? {
        let document = try RecordDocument(entity, searchableFields: configuration.searchableFields)
        let newMap: [String: JSONValue]
        do {
            newMap = try entity.fieldMap()
        } catch {
            throw StoreError(code: .invalidRecord, message: "the \(E.kind.rawValue) \(entity.id) has fields the registry does not know", cause: error)
        }
        return try await write { db -> OutboxEntry? in
            let existing = try RecordRow.filter(RecordRow.Columns.id == entity.id).fetchOne(db)
            if let existing, existing.deleted {
                throw StoreError(code: .recordDeleted, message: "\(E.kind.rawValue) \(entity.id) was deleted; it cannot be edited until the deletion is synced")
            }
            let operation: OutboxEntry.Operation
            var changed: [String: JSONValue] = [:]
            var bases: [String: JSONValue] = [:]
            if let existing {
                operation = .update
                let old = try RecordWriter.document(from: existing).decode(as: E.self).fieldMap()
                for (path, value) in newMap where old[path] != value {
                    changed[path] = value
                    bases[path] = old[path] ?? .null
                }
                for path in old.keys where newMap[path] == nil {
                    changed[path] = .null
                    bases[path] = old[path] ?? .null
                }
                for path in ["updatedAt", "version", "createdAt", "updatedBy", "createdBy"] {
                    changed[path] = nil
                }
                if changed.isEmpty { return nil }
            } else {
                operation = .create
                changed = newMap.filter { !$0.value.isNull }
            }
            var stored = document
            stored.version = existing?.version ?? document.version
            if existing?.inSync == true { try ShadowWriter.materialize(id: entity.id, in: db) }
            try RecordWriter.upsert(stored, deleted: false, inSync: false, in: db)
            let outcome = try OutboxCoalescer.record(
                kind: E.kind, recordId: entity.id, operation: operation, fields: changed, bases: bases, clock: clock, in: db)
            guard case .pending(let row) = outcome else { return nil }
            return try OutboxCoalescer.entry(from: row)
        }
    }

    /// Deletes a record locally (a tombstone until the deletion is synced) and records it in
    /// the outbox. A record created and deleted before any sync simply disappears.
    ///
    /// - Throws: ``StoreError/Code/notFound`` if there is no such record.
    public func delete(_ kind: EntityKind, id: UUID, clock: String) async throws {
        try await write { db in
            guard let row = try RecordRow.filter(RecordRow.Columns.id == id).fetchOne(db) else {
                throw StoreError(code: .notFound, message: "there is no \(kind.rawValue) \(id) to delete")
            }
            if row.deleted { return }
            if row.inSync { try ShadowWriter.materialize(id: id, in: db) }
            let outcome = try OutboxCoalescer.record(kind: kind, recordId: id, operation: .delete, fields: [:], clock: clock, in: db)
            switch outcome {
            case .cancelled:
                try RecordWriter.purge(id: id, in: db)
            case .pending:
                try RecordWriter.markDeleted(id: id, at: Date(), in: db)
            }
        }
    }
}
