import Foundation
import GRDB
import RapportModels

/// Records a local change in the outbox, coalescing with the record's pending entry.
///
/// | pending  | new    | result                                   |
/// | -------- | ------ | ---------------------------------------- |
/// | —        | any    | a new entry                              |
/// | create   | update | the create, with the new field values    |
/// | create   | delete | both removed (the server never knew)     |
/// | update   | update | one update, later values win per field   |
/// | update   | delete | a delete                                 |
///
/// Entries already handed to the sync engine (`sending`) are never changed.
enum OutboxCoalescer {
    enum Outcome {
        /// The entry now pending for the record.
        case pending(OutboxRow)
        /// A create and a delete cancelled out; the caller purges the record.
        case cancelled
    }

    static func record(
        kind: EntityKind, recordId: UUID, operation: OutboxEntry.Operation, fields: [String: JSONValue],
        bases: [String: JSONValue] = [:], clock: String, in db: Database
    ) throws -> Outcome {
        let existing = try OutboxRow
            .filter(OutboxRow.Columns.recordId == recordId && OutboxRow.Columns.state == OutboxEntry.State.pending.rawValue)
            .order(OutboxRow.Columns.seq.desc)
            .fetchOne(db)
        guard var entry = existing else {
            let baseVersion = try ShadowWriter.serverState(id: recordId, in: db)?.version ?? 0
            var row = OutboxRow(
                seq: nil, mutationId: UUID(), kind: kind.rawValue, recordId: recordId, operation: operation.rawValue,
                baseVersion: operation == .create ? 0 : baseVersion,
                fields: try encode(operation == .delete ? [String: JSONValue]() : fields),
                baseFields: try encode(operation == .update ? bases.filter { fields[$0.key] != nil } : [String: JSONValue]()),
                fieldClocks: try encode(operation == .delete ? [String: String]() : fields.mapValues { _ in clock }),
                clock: clock, state: OutboxEntry.State.pending.rawValue,
                createdAt: RecordWriter.millis(Date()))
            try row.insert(db)
            return .pending(row)
        }
        let previous = OutboxEntry.Operation(rawValue: entry.operation) ?? .update
        switch (previous, operation) {
        case (.create, .delete):
            try entry.delete(db)
            return .cancelled
        case (_, .delete):
            entry.operation = OutboxEntry.Operation.delete.rawValue
            entry.fields = try encode([String: JSONValue]())
            entry.baseFields = try encode([String: JSONValue]())
            entry.fieldClocks = try encode([String: String]())
        case (.delete, _):
            throw StoreError(code: .recordDeleted, message: "record \(recordId) was deleted; it cannot be edited until the deletion is synced")
        default:
            var merged = try decodeFields(entry.fields)
            var clocks = try decodeClocks(entry.fieldClocks)
            var baseFields = try decodeFields(entry.baseFields)
            for (path, value) in fields {
                // The base is the value before the entry's FIRST edit of the field.
                if previous == .update, merged[path] == nil, let base = bases[path] { baseFields[path] = base }
                merged[path] = value
                clocks[path] = clock
            }
            entry.fields = try encode(merged)
            entry.baseFields = try encode(baseFields)
            entry.fieldClocks = try encode(clocks)
        }
        entry.clock = clock
        try entry.update(db)
        return .pending(entry)
    }

    static func entry(from row: OutboxRow) throws -> OutboxEntry {
        OutboxEntry(
            sequence: row.seq ?? 0, mutationId: row.mutationId, kind: EntityKind(rawValue: row.kind) ?? .customer,
            recordId: row.recordId, operation: OutboxEntry.Operation(rawValue: row.operation) ?? .update,
            baseVersion: row.baseVersion, fields: try decodeFields(row.fields), baseFields: try decodeFields(row.baseFields),
            fieldClocks: try decodeClocks(row.fieldClocks), clock: row.clock,
            state: OutboxEntry.State(rawValue: row.state) ?? .pending)
    }

    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decodeFields(_ text: String) throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(text.utf8))
    }

    static func decodeClocks(_ text: String) throws -> [String: String] {
        try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
