import Foundation
import RapportModels
import RapportStore

extension SyncEngine {
    /// Pulls every page; resets once if the server requires it.
    func pullAll(_ report: inout SyncReport) async throws {
        var resetDone = false
        while true {
            do {
                try await pullPages(&report)
                return
            } catch let error as SyncError where (error.code == .resetRequired || error.code == .invalidCursor) && !resetDone {
                resetDone = true
                try await reset(&report)
            }
        }
    }

    private func pullPages(_ report: inout SyncReport) async throws {
        var checkpoint = try checkpoints.load()
        var pages = 0
        var changes = 0
        while true {
            update { $0.phase = .pulling(pages: pages, changes: changes) }
            let request = PullRequest(cursor: checkpoint.cursor, limit: configuration.pageSize)
            let transport = self.transport
            let page = try await withRetry { try await transport.pull(request) }
            if let wipe = page.wipe { throw SyncError(.wipeRequired, wipe.message, wipe: wipe) }
            observe(page.serverHlc)
            try await apply(page, into: &report)
            checkpoint.cursor = page.cursor
            try checkpoints.save(checkpoint)
            pages += 1
            changes += page.changes.count + page.evictions.count
            report.pages += 1
            if !page.hasMore { return }
        }
    }

    /// Applies one page. Re-applying a page (after a crash before its cursor was saved) is
    /// harmless: versions not newer than the shadow are skipped, evictions of absent records
    /// do nothing.
    func apply(_ page: PullResponse, into report: inout SyncReport) async throws {
        var documents: [RecordDocument] = []
        var purge: [(EntityKind, UUID, PurgedRecord.Cause)] = page.evictions.map { ($0.entity, $0.recordId, .evicted($0.reason)) }
        for change in page.changes {
            switch change.kind {
            case .deleted:
                purge.append((change.entity, change.recordId, .deleted))
            case .full:
                documents.append(try EntityFields.document(change.entity, fields: change.fields, configuration: store.configuration))
            case .partial:
                guard let shadow = try await store.shadow(id: change.recordId) else {
                    throw SyncError(.resetRequired, "the device lacks the base of \(change.entity.rawValue) \(change.recordId); re-syncing from scratch")
                }
                if change.version <= shadow.version { continue }
                var fields = try EntityFields.fields(change.entity, json: shadow.json)
                for (path, value) in change.fields { fields[path] = value }
                documents.append(try EntityFields.document(change.entity, fields: fields, configuration: store.configuration))
            }
        }
        if !documents.isEmpty { try await store.applyServerDocuments(documents) }
        if !purge.isEmpty {
            let outbox = try await store.outbox()
            for (kind, id, cause) in purge {
                let hasDocument = try await store.document(id: id) != nil
                let hasShadow = try await store.shadow(id: id) != nil
                let known = hasDocument || hasShadow
                let discarded = outbox.filter { $0.recordId == id }.count
                if known || discarded > 0 {
                    report.purged.append(PurgedRecord(entity: kind, recordId: id, cause: cause, discardedEdits: discarded))
                }
            }
            try await store.evict(purge.map(\.1))
        }
        report.changesApplied += documents.count
    }

    /// Drops the server data (records without pending edits) and the cursor, so the next
    /// pull starts from scratch.
    func reset(_ report: inout SyncReport) async throws {
        report.reset = true
        var checkpoint = try checkpoints.load()
        checkpoint.cursor = nil
        try checkpoints.save(checkpoint)
        let pending = Set(try await store.outbox().map(\.recordId))
        var ids: [UUID] = []
        for kind in EntityKind.allCases {
            for document in try await store.records(RecordQuery(kind: kind, includeDeleted: true)) where !pending.contains(document.id) {
                ids.append(document.id)
                report.purged.append(PurgedRecord(entity: kind, recordId: document.id, cause: .reset, discardedEdits: 0))
            }
        }
        try await store.evict(ids)
    }
}
