import Foundation
import RapportModels
import RapportProtocol

extension SyncServer {
    /// Computes the next page of changes for a device (`Docs/Protocol.md`, "Pull").
    ///
    /// - Throws: ``SyncError`` with ``SyncError/Code/resetRequired`` when the cursor is older
    ///   than the retained history, of another change-log generation, or refers to a scope
    ///   snapshot that no longer exists; ``SyncError/Code/invalidCursor``,
    ///   ``SyncError/Code/pageTooLarge``, ``SyncError/Code/unsupportedProtocolVersion`` or
    ///   ``SyncError/Code/wipeRequired``.
    public func pull(_ request: PullRequest, from principal: SyncPrincipal) async throws -> PullResponse {
        try SyncProtocol.check(request.protocolVersion)
        let limit = try configuration.limits.pageSize(for: request)
        // One read unit for everything the page is planned from: standing, cursor checks,
        // the delivered snapshot, the scope, the change log and the records (one snapshot, so
        // the scope and the records cannot disagree about a write committed in between).
        let read = try await storage.syncRead { tx in try await self.readPage(request, limit: limit, principal: principal, tx: tx) }
        let (generation, sequence, epoch) = (read.generation, read.sequence, read.epoch)
        let (delivered, stored) = (read.delivered, read.stored)
        var plan = read.plan

        // The read quota and the device's new snapshot: one write unit (the quota counts only
        // what the snapshot records as delivered). A page that neither sends fields nor changes
        // what the device holds writes nothing but the pruning of acknowledged snapshots.
        let carrying = plan.entering + plan.changed
        let sendable = carrying.filter { stored[$0].map { !$0.deleted } ?? false }
        var limited: ReadLimit?
        var savedEpoch: Int64?
        if sendable.isEmpty && Self.held(plan, stored) == delivered {
            if epoch > 0 { try await storage.pruneScopeSnapshots(device: principal.deviceId, before: epoch) }
        } else {
            let planned = plan
            let written = try await storage.syncWrite { tx in
                try await self.admitAndSave(
                    planned, read: read, sendable: sendable, carrying: carrying, principal: principal, tx: tx)
            }
            plan = written.plan
            limited = written.limited
            savedEpoch = written.epoch
        }
        var changes: [RecordChange] = []
        var evictions: [Eviction] = []
        for key in plan.leaving {
            let record = stored[key]
            if record == nil || record?.deleted == true {
                changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record?.version ?? 0, kind: .deleted))
            } else {
                evictions.append(Eviction(entity: key.kind, recordId: key.id, reason: read.evictionReasons[key] ?? .scopeChanged))
            }
        }
        // Changes that carry fields, in page order; `unmasked[i]` holds the fields of `changes[sending[i]]`.
        var sending: [Int] = []
        var unmasked: [(key: RecordKey, fields: FieldMap)] = []
        for key in plan.entering {
            guard let record = stored[key], !record.deleted else { continue }
            sending.append(changes.count)
            unmasked.append((key, record.fields))
            changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record.version, kind: .full))
        }
        for key in plan.changed {
            guard let record = stored[key] else { continue }
            if record.deleted {
                changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record.version, kind: .deleted))
                continue
            }
            var subset: FieldMap = [:]
            for (path, state) in record.fieldStates where state.sequence > sequence {
                subset[path] = record.fields[path] ?? .null
            }
            if subset.isEmpty { continue }
            sending.append(changes.count)
            unmasked.append((key, subset))
            changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record.version, kind: .partial))
        }
        if !unmasked.isEmpty {
            let masked = try await scope.mask(unmasked, principal: principal)
            guard masked.count == unmasked.count else {
                throw SyncError.maskCountMismatch(masked.count, unmasked.count)
            }
            for (index, view) in zip(sending, masked) {
                changes[index].fields = view.fields
                changes[index].masked = view.masked.isEmpty ? nil : view.masked.sorted()
            }
        }
        let newEpoch = savedEpoch ?? epoch
        let cursor = SyncCursor(generation: generation, sequence: plan.sequence, scopeEpoch: newEpoch)
        return PullResponse(
            changes: changes, evictions: evictions, cursor: cursor.encoded, hasMore: plan.hasMore, serverHlc: tick(),
            limited: limited)
    }

    /// What a pull page is planned from, read in one unit.
    struct PageRead: Sendable {
        var generation: UInt32
        var stable: Int64
        var sequence: Int64
        var epoch: Int64
        var delivered: Set<RecordKey>
        var visible: Set<RecordKey>
        var entries: [ChangeLogEntry]
        var fetchLimit: Int
        var plan: PullPlanner.Plan
        var stored: [RecordKey: StoredRecord]
        var evictionReasons: [RecordKey: EvictionReason]
    }

    private func readPage(
        _ request: PullRequest, limit: Int, principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> PageRead {
        try await checkStanding(principal)
        let generation = try await tx.generation()
        let stable = try await tx.stableSequence()
        let sequence: Int64
        let epoch: Int64
        if let text = request.cursor {
            let cursor = try SyncCursor(encoded: text)
            guard cursor.generation == generation else {
                throw SyncError(.resetRequired, "the server's history was replaced (restored from a backup); discard the local server data and pull from scratch")
            }
            guard cursor.sequence >= (try await tx.historyFloor()), cursor.sequence <= stable else {
                throw SyncError(.resetRequired, "the device was away longer than the server keeps history; discard the local server data and pull from scratch")
            }
            sequence = cursor.sequence
            epoch = cursor.scopeEpoch
        } else {
            sequence = stable
            epoch = 0
        }
        guard let delivered = try await tx.scopeSnapshot(device: principal.deviceId, epoch: epoch) else {
            throw SyncError(.resetRequired, "the server no longer knows what this device holds; discard the local server data and pull from scratch")
        }
        let visible = try await scope.visibleRecords(for: principal)
        let fetchLimit = limit * 4 + 16
        let entries = try await tx.changes(after: sequence, upTo: stable, limit: fetchLimit)
        let planner = PullPlanner(sequence: sequence, stableSequence: stable, limit: limit)
        let plan = planner.plan(delivered: delivered, visible: visible, entries: entries, logExhausted: entries.count < fetchLimit)
        // One read for every record the page touches.
        let stored = try await tx.records(plan.leaving + plan.entering + plan.changed)
        var reasons: [RecordKey: EvictionReason] = [:]
        for key in plan.leaving where stored[key].map({ !$0.deleted }) ?? false {
            reasons[key] = try await scope.evictionReason(for: key, principal: principal)
        }
        return PageRead(
            generation: generation, stable: stable, sequence: sequence, epoch: epoch, delivered: delivered, visible: visible,
            entries: entries, fetchLimit: fetchLimit, plan: plan, stored: stored, evictionReasons: reasons)
    }

    /// Admits the page's records against the read quota (re-planning a shorter page when fewer
    /// fit), prunes the acknowledged snapshots and saves the device's new one, in `tx`.
    private func admitAndSave(
        _ planned: PullPlanner.Plan, read: PageRead, sendable: [RecordKey], carrying: [RecordKey],
        principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> (plan: PullPlanner.Plan, limited: ReadLimit?, epoch: Int64) {
        var plan = planned
        var limited: ReadLimit?
        if !sendable.isEmpty {
            let admission = try await scope.admit(sendable, via: .pull, principal: principal)
            if admission.admitted < sendable.count {
                let refusal = admission.limit ?? ReadLimit(message: "your read quota is reached; pull again later", retryAfterSeconds: 60)
                let cut = carrying.firstIndex(of: sendable[max(0, admission.admitted)]) ?? 0
                if cut == 0 && plan.leaving.isEmpty {
                    throw SyncError(.rateLimited, refusal.message, retryAfterSeconds: refusal.retryAfterSeconds)
                }
                plan = PullPlanner(sequence: read.sequence, stableSequence: read.stable, limit: plan.leaving.count + cut)
                    .plan(delivered: read.delivered, visible: read.visible, entries: read.entries, logExhausted: read.entries.count < read.fetchLimit)
                plan.hasMore = true
                limited = refusal
            }
        }
        if read.epoch > 0 { try await tx.pruneScopeSnapshots(device: principal.deviceId, before: read.epoch) }
        let held = Self.held(plan, read.stored)
        let epoch = held == read.delivered ? read.epoch : try await tx.saveScopeSnapshot(device: principal.deviceId, records: held)
        return (plan, limited, epoch)
    }

    /// What the device holds after applying the page: the plan's delivered set without the
    /// entering records that are gone and the changed records that were deleted.
    static func held(_ plan: PullPlanner.Plan, _ stored: [RecordKey: StoredRecord]) -> Set<RecordKey> {
        var held = plan.delivered
        for key in plan.entering where stored[key].map({ $0.deleted }) ?? true { held.remove(key) }
        for key in plan.changed where stored[key]?.deleted == true { held.remove(key) }
        return held
    }
}
