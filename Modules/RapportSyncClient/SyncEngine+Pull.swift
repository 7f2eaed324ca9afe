import Foundation
import RapportModels
import RapportProtocol
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
        var cursor = try await store.syncCursor()
        var pages = 0
        var changes = 0
        while true {
            update { $0.phase = .pulling(pages: pages, changes: changes) }
            let request = PullRequest(cursor: cursor, limit: configuration.pageSize)
            let transport = self.transport
            let page = try await withRetry { try await transport.pull(request) }
            if let wipe = page.wipe { throw SyncError(.wipeRequired, wipe.message, wipe: wipe) }
            observe(page.serverHlc)
            try await apply(page, into: &report)
            cursor = page.cursor
            pages += 1
            changes += page.changes.count + page.evictions.count
            report.pages += 1
            if let limited = page.limited {
                report.readLimit = limited
                return
            }
            if !page.hasMore { return }
        }
    }

    /// Applies one page and its cursor in one store transaction
    /// (`EncryptedStore.applyPage`): a crash leaves the page either wholly applied with its
    /// cursor or not at all.
    func apply(_ page: PullResponse, into report: inout SyncReport) async throws {
        var documents: [RecordDocument] = []
        var deletions: [UUID] = []
        var causes: [UUID: (EntityKind, PurgedRecord.Cause)] = [:]
        for eviction in page.evictions { causes[eviction.recordId] = (eviction.entity, .evicted(eviction.reason)) }
        for change in page.changes {
            await noteMasked(change.entity, change.masked)
            switch change.kind {
            case .deleted:
                deletions.append(change.recordId)
                causes[change.recordId] = (change.entity, .deleted)
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
        let outcome: SyncApplication
        do {
            outcome = try await store.applyPage(
                documents: documents, deletions: deletions, evictions: page.evictions.map(\.recordId), cursor: page.cursor,
                rebase: LocalRebasing.rebaser(configuration: store.configuration))
        } catch {
            throw SyncError(.store, "could not apply a pull page; nothing of it was applied — sync again", cause: error)
        }
        for purged in outcome.purged where purged.wasKnown || purged.discardedEntries > 0 {
            guard let (kind, cause) = causes[purged.id] else { continue }
            report.purged.append(PurgedRecord(entity: kind, recordId: purged.id, cause: cause, discardedEdits: purged.discardedEntries))
        }
        report.changesApplied += documents.count
    }

    /// Drops the server data (records without pending edits) and the cursor in one store
    /// transaction, so the next pull starts from scratch.
    func reset(_ report: inout SyncReport) async throws {
        report.reset = true
        for purged in try await store.resetSyncState() {
            report.purged.append(PurgedRecord(entity: purged.kind ?? .customer, recordId: purged.id, cause: .reset, discardedEdits: 0))
        }
    }
}
