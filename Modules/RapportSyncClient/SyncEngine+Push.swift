import Foundation
import RapportModels
import RapportProtocol
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

    /// The mutation an outbox entry becomes: its clocks are the entry's HLC strings, the
    /// merge base of an update is the entry's ``OutboxEntry/baseFields``.
    func mutation(for entry: OutboxEntry) async throws -> Mutation {
        let hlc = (try? HLCTimestamp(parsing: entry.clock)) ?? clock.tick(wallMillis: wallClock.nowMillis())
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
            for path in fields.keys {
                if let fieldClock = entry.fieldClocks[path].flatMap({ try? HLCTimestamp(parsing: $0) }), fieldClock != hlc {
                    fieldHlc[path] = fieldClock
                }
                if let value = entry.baseFields[path] { values[path] = value }
            }
            base = values
        }
        return Mutation(
            clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId, op: op,
            baseVersion: op == .create ? 0 : entry.baseVersion, fields: fields, base: base, hlc: hlc,
            fieldHlc: fieldHlc.isEmpty ? nil : fieldHlc)
    }

    /// Applies push results in one store transaction (`EncryptedStore.acknowledge`): the
    /// answered entries leave the outbox, the server's records become the shadows (and the
    /// local records, rebased over edits made meanwhile), records gone after the push are
    /// purged, and refusals are kept until the user dismisses them.
    func apply(_ results: [MutationResult], for batch: [OutboxEntry], into report: inout SyncReport) async throws {
        let entries = Dictionary(batch.map { ($0.mutationId, $0) }, uniquingKeysWith: { first, _ in first })
        var acknowledgement = PushAcknowledgement(mutationIds: [])
        let conflictsBefore = conflicts.count
        var purgeCauses: [UUID: (OutboxEntry, PurgedRecord.Cause)] = [:]
        var newRejections: [RejectedEdit] = []
        let now = Date(timeIntervalSince1970: Double(wallClock.nowMillis()) / 1000)
        for result in results {
            guard let entry = entries[result.clientMutationId] else { continue }
            acknowledgement.mutationIds.append(entry.mutationId)
            var document: RecordDocument?
            if let record = result.record, !record.deleted {
                await noteMasked(record.entity, record.masked)
                document = try? EntityFields.document(record.entity, fields: record.fields, configuration: store.configuration)
            }
            switch result.status {
            case .applied: report.applied += 1
            case .merged: report.merged += 1
            case .rejected:
                let rejection = result.rejection ?? Rejection(code: .invalidMutation, message: "the server refused the edit")
                newRejections.append(
                    RejectedEdit(
                        clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId,
                        op: MutationOperation(rawValue: entry.operation.rawValue) ?? .update, fields: entry.fields,
                        rejection: rejection))
                acknowledgement.rejections.append(
                    RejectedMutation(
                        mutationId: entry.mutationId, kind: entry.kind, recordId: entry.recordId, operation: entry.operation,
                        fields: entry.fields, reasonCode: rejection.code.rawValue, message: rejection.message,
                        field: rejection.field, serverDocument: document, rejectedAt: now))
            }
            for conflict in result.conflicts ?? [] {
                let reported = ReportedConflict(
                    clientMutationId: entry.mutationId, entity: entry.kind, recordId: entry.recordId, conflict: conflict)
                report.conflicts.append(reported)
                conflicts.append(reported)
            }
            if let document {
                acknowledgement.documents.append(document)
            } else {
                acknowledgement.purge.append(entry.recordId)
                purgeCauses[entry.recordId] = (entry, result.record?.deleted == true ? .deleted : .goneAfterPush)
            }
        }
        if conflicts.count > conflictsBefore {
            acknowledgement.appState[Self.conflictsKey] = Self.encodeConflicts(conflicts)
        }
        let outcome: SyncApplication
        do {
            outcome = try await store.acknowledge(acknowledgement, rebase: LocalRebasing.rebaser(configuration: store.configuration))
        } catch {
            throw SyncError(.store, "could not record the push results; sync again (the server answers a replay the same way)", cause: error)
        }
        report.rejections += newRejections
        rejections += newRejections
        for purged in outcome.purged {
            guard let (entry, cause) = purgeCauses[purged.id] else { continue }
            report.purged.append(PurgedRecord(entity: entry.kind, recordId: entry.recordId, cause: cause, discardedEdits: purged.discardedEntries))
        }
        let pending = try await store.outbox().count
        update {
            $0.pendingCount = pending
            $0.conflictCount = conflicts.count
            $0.rejectionCount = rejections.count
        }
    }
}
