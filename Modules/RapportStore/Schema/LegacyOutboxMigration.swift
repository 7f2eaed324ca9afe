import Foundation
import GRDB
import RapportModels

/// Migration `v3` of outbox entries written before `outbox.baseFields` existed.
///
/// The first sync engine smuggled each field's merge base inside the opaque clock strings, as
/// compact JSON `{"b":{"path":value},"h":"<hlc>"}`. This moves those bases into `baseFields`
/// and leaves the bare HLC in `clock` and `fieldClocks`; an update field with no base recorded
/// takes the record's current server state (what that engine fell back to at push time).
enum LegacyOutboxMigration {
    private struct Stamp: Decodable {
        var h: String
        var b: [String: JSONValue]?
    }

    static func moveBases(in db: Database) throws {
        let rows = try OutboxRow.fetchAll(db)
        for var row in rows {
            var fieldClocks = try OutboxCoalescer.decodeClocks(row.fieldClocks)
            let fields = try OutboxCoalescer.decodeFields(row.fields)
            var bases: [String: JSONValue] = [:]
            for (path, text) in fieldClocks {
                guard let stamp = parse(text) else { continue }
                fieldClocks[path] = stamp.h
                if let base = stamp.b?[path] { bases[path] = base }
            }
            if row.operation == OutboxEntry.Operation.update.rawValue,
                fields.keys.contains(where: { bases[$0] == nil }),
                let server = try ShadowWriter.serverState(id: row.recordId, in: db),
                let kind = EntityKind(rawValue: server.kind),
                let serverFields = try? RecordWriter.fieldMap(kind: kind, json: server.document)
            {
                for path in fields.keys where bases[path] == nil { bases[path] = serverFields[path] ?? .null }
            }
            if row.operation != OutboxEntry.Operation.update.rawValue { bases = [:] }
            row.fieldClocks = try OutboxCoalescer.encode(fieldClocks)
            row.baseFields = try OutboxCoalescer.encode(bases)
            if let stamp = parse(row.clock) { row.clock = stamp.h }
            try row.update(db)
        }
    }

    private static func parse(_ text: String) -> Stamp? {
        guard text.hasPrefix("{") else { return nil }
        return try? JSONDecoder().decode(Stamp.self, from: Data(text.utf8))
    }
}
