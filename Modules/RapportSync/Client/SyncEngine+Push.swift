import Foundation
import RapportModels
import RapportStore

extension SyncEngine {
    /// Pushes the outbox in batches until it is empty (or the round limit is reached).
    func pushAll(_ report: inout SyncReport) async throws {
        var total = try await store.outbox().count
        var done = 0
        for _ in 0..<configuration.maxPushRounds {
            let batch = try await store.outbox(limit: configuration.batchSize)
            if batch.isEmpty { return }
            total = max(total, done + batch.count)
            update { $0.phase = .pushing(done: done, total: total) }
            try await store.markSending(batch.map(\.mutationId))
            var mutations: [Mutation] = []
            for entry in batch { mutations.append(try await mutation(for: entry)) }
            let request = PushRequest(mutations: mutations)
            let transport = self.transport
            let response = try await withRetry { try await transport.push(request) }
            if let wipe = response.wipe { throw SyncError(.wipeRequired, wipe.message, wipe: wipe) }
            observe(response.serverHlc)
            try await apply(response.results, for: batch, into: &report)
            done += batch.count
        }
    }

    /// The mutation an outbox entry becomes.
    func mutation(for entry: OutboxEntry) async throws -> Mutation {
        let stamp = EditStamp(parsing: entry.clock)
        let hlc = stamp?.hlc ?? clock.tick(wallMillis: wallClock.nowMillis())
        let op: MutationOperation =
            switch entry.operation {
            case .create: .create
            case .update: .update
            case .delete: .delete
            }
        var fields: FieldMap = [:]
        if op != .delete {
            for (path, value) in entry.fields where !FieldMerge.serverStamps.contains(path) { fields[path] = value }
        }
        var base: FieldMap?
        var fieldHlc: [String: HLCTimestamp] = [:]
        if op == .update {
            var values: FieldMap = [:]
            var shadowFields: FieldMap?
            for path in fields.keys {
                let fieldStamp = entry.fieldClocks[path].flatMap(EditStamp.init(parsing:))
                if let fieldStamp, fieldStamp.hlc != hlc { fieldHlc[path] = fieldStamp.hlc }
                if let value = fieldStamp?.base[path] {
                    values[path] = value
                } else {
                    if shadowFields == nil, let shadow = try await store.shadow(id: entry.recordId) {
                        shadowFields = try? EntityFields.fields(shadow.kind, json: shadow.json)
                    }
                    if let value = shadowFields?[path] { values[path] = value }
                }
            }
            base = values
        }
        return Mutation(
            clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId, op: op,
            baseVersion: op == .create ? 0 : entry.baseVersion, fields: fields, base: base, hlc: hlc,
            fieldHlc: fieldHlc.isEmpty ? nil : fieldHlc)
    }

    /// Applies push results: shadows first, then the outbox, then local records — each step
    /// one transaction, and a crash between them is repaired by ``repair()``.
    func apply(_ results: [MutationResult], for batch: [OutboxEntry], into report: inout SyncReport) async throws {
        let entries = Dictionary(batch.map { ($0.mutationId, $0) }, uniquingKeysWith: { first, _ in first })
        var documents: [RecordDocument] = []
        var acknowledged: [UUID] = []
        var purge: [(OutboxEntry, PurgedRecord.Cause)] = []
        for result in results {
            guard let entry = entries[result.clientMutationId] else { continue }
            acknowledged.append(entry.mutationId)
            switch result.status {
            case .applied: report.applied += 1
            case .merged: report.merged += 1
            case .rejected:
                let rejection = result.rejection ?? Rejection(code: .invalidMutation, message: "the server refused the edit")
                let edit = RejectedEdit(
                    clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId,
                    op: MutationOperation(rawValue: entry.operation.rawValue) ?? .update, fields: entry.fields, rejection: rejection)
                report.rejections.append(edit)
                rejections.append(edit)
            }
            for conflict in result.conflicts ?? [] {
                let reported = ReportedConflict(
                    clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId, conflict: conflict)
                report.conflicts.append(reported)
                conflicts.append(reported)
            }
            if let record = result.record, !record.deleted,
                let document = try? EntityFields.document(record.entity, fields: record.fields, configuration: store.configuration)
            {
                documents.append(document)
            } else {
                purge.append((entry, result.record?.deleted == true ? .deleted : .goneAfterPush))
            }
        }
        try await store.applyServerDocuments(documents)
        try await store.removeFromOutbox(acknowledged)
        if !purge.isEmpty {
            let remaining = try await store.outbox()
            for (entry, cause) in purge {
                let discarded = remaining.filter { $0.recordId == entry.recordId }.count
                report.purged.append(PurgedRecord(entity: entry.kind, recordId: entry.recordId, cause: cause, discardedEdits: discarded))
            }
            try await store.evict(purge.map(\.0.recordId))
        }
        try await store.applyServerDocuments(documents)
        let pending = try await store.outbox().count
        update {
            $0.pendingCount = pending
            $0.conflictCount = conflicts.count
            $0.rejectionCount = rejections.count
        }
    }
}
