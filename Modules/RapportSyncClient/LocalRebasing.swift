import Foundation
import RapportModels
import RapportProtocol
import RapportStore

/// Rebuilds a record's local state on new server state while its edits wait in the outbox,
/// so the user sees the other devices' changes at once (`Docs/Protocol.md`, "Client engine").
///
/// Each entry's fields are replayed over the server's fields in order, by the field's merge
/// policy: last-writer-wins fields take the local value; counters add the entry's delta
/// (`fields − baseFields`) to the server value, and the *pending* entry is re-based onto it
/// (base := server value, value := sum) so an edit coalesced later still carries the right
/// delta; set fields apply the entry's additions and removals (the entry is left as it is —
/// its additions and removals relative to its base stay exactly what the user did).
/// Records with a create, a delete, or an entry being sent are left alone (`nil`): the push
/// that answers them brings the state.
enum LocalRebasing {
    static func rebaser(configuration: StoreConfiguration) -> LocalRebaser {
        { server, entries in rebase(server, entries: entries, configuration: configuration) }
    }

    static func rebase(_ server: RecordDocument, entries: [OutboxEntry], configuration: StoreConfiguration) -> LocalRebase? {
        guard !entries.isEmpty, entries.allSatisfy({ $0.operation == .update && $0.state == .pending }),
            var fields = try? EntityFields.fields(server.kind, json: server.json)
        else { return nil }
        var updated: [OutboxEntry] = []
        for var entry in entries {
            for path in entry.fields.keys.sorted() where !FieldMerge.serverStamps.contains(path) {
                let yours = entry.fields[path] ?? .null
                let theirs = fields[path] ?? .null
                switch FieldRegistry.descriptor(server.kind, path)?.mergePolicy ?? .lastWriterWins {
                case .counter:
                    guard let base = entry.baseFields[path].flatMap(FieldMerge.integer), let y = FieldMerge.integer(yours),
                        let t = FieldMerge.integer(theirs)
                    else { return nil }
                    let (sum, overflow) = t.addingReportingOverflow(y &- base)
                    if overflow { return nil }
                    entry.baseFields[path] = theirs
                    entry.fields[path] = .int(sum)
                    fields[path] = .int(sum)
                case .setUnion:
                    guard let y = FieldMerge.strings(yours), let t = FieldMerge.strings(theirs),
                        let b = FieldMerge.strings(entry.baseFields[path] ?? theirs)
                    else { return nil }
                    let result = t.union(y.subtracting(b)).subtracting(b.subtracting(y))
                    fields[path] = .array(result.sorted().map(JSONValue.string))
                case .serverOnly, .immutable:
                    continue
                case .lastWriterWins:
                    fields[path] = yours
                }
            }
            updated.append(entry)
        }
        guard var document = try? EntityFields.document(server.kind, fields: fields, configuration: configuration) else { return nil }
        document.version = server.version
        return LocalRebase(document: document, entries: updated)
    }
}
