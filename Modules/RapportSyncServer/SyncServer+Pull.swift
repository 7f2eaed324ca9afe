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
        try await checkStanding(principal)
        let generation = try await storage.generation()
        let stable = try await storage.stableSequence()
        let sequence: Int64
        let epoch: Int64
        if let text = request.cursor {
            let cursor = try SyncCursor(encoded: text)
            guard cursor.generation == generation else {
                throw SyncError(.resetRequired, "the server's history was replaced (restored from a backup); discard the local server data and pull from scratch")
            }
            guard cursor.sequence >= (try await storage.historyFloor()), cursor.sequence <= stable else {
                throw SyncError(.resetRequired, "the device was away longer than the server keeps history; discard the local server data and pull from scratch")
            }
            sequence = cursor.sequence
            epoch = cursor.scopeEpoch
        } else {
            sequence = stable
            epoch = 0
        }
        guard let delivered = try await storage.scopeSnapshot(device: principal.deviceId, epoch: epoch) else {
            throw SyncError(.resetRequired, "the server no longer knows what this device holds; discard the local server data and pull from scratch")
        }
        if epoch > 0 { try await storage.pruneScopeSnapshots(device: principal.deviceId, before: epoch) }
        let visible = try await scope.visibleRecords(for: principal)
        let fetchLimit = limit * 4 + 16
        let entries = try await storage.changes(after: sequence, upTo: stable, limit: fetchLimit)
        let planner = PullPlanner(sequence: sequence, stableSequence: stable, limit: limit)
        var plan = planner.plan(delivered: delivered, visible: visible, entries: entries, logExhausted: entries.count < fetchLimit)

        // One read for every record the page touches, and one masking pass (one policy) for
        // everything it sends.
        let stored = try await storage.records(plan.leaving + plan.entering + plan.changed)

        // The read quota: the records that carry fields, in page order, are admitted from the
        // start; when fewer fit, the page is planned again to end just before the first one
        // that does not, so the cursor and the device's snapshot stop there too.
        let carrying = plan.entering + plan.changed
        let sendable = carrying.filter { stored[$0].map { !$0.deleted } ?? false }
        var limited: ReadLimit?
        if !sendable.isEmpty {
            let admission = try await scope.admit(sendable, via: .pull, principal: principal)
            if admission.admitted < sendable.count {
                let refusal = admission.limit ?? ReadLimit(message: "your read quota is reached; pull again later", retryAfterSeconds: 60)
                let cut = carrying.firstIndex(of: sendable[max(0, admission.admitted)]) ?? 0
                if cut == 0 && plan.leaving.isEmpty {
                    throw SyncError(.rateLimited, refusal.message, retryAfterSeconds: refusal.retryAfterSeconds)
                }
                plan = PullPlanner(sequence: sequence, stableSequence: stable, limit: plan.leaving.count + cut)
                    .plan(delivered: delivered, visible: visible, entries: entries, logExhausted: entries.count < fetchLimit)
                plan.hasMore = true
                limited = refusal
            }
        }
        var now = plan.delivered
        var changes: [RecordChange] = []
        var evictions: [Eviction] = []
        for key in plan.leaving {
            let record = stored[key]
            if record == nil || record?.deleted == true {
                changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record?.version ?? 0, kind: .deleted))
            } else {
                evictions.append(Eviction(entity: key.kind, recordId: key.id, reason: try await scope.evictionReason(for: key, principal: principal)))
            }
        }
        // Changes that carry fields, in page order; `unmasked[i]` holds the fields of `changes[sending[i]]`.
        var sending: [Int] = []
        var unmasked: [(key: RecordKey, fields: FieldMap)] = []
        for key in plan.entering {
            guard let record = stored[key], !record.deleted else {
                now.remove(key)
                continue
            }
            sending.append(changes.count)
            unmasked.append((key, record.fields))
            changes.append(RecordChange(entity: key.kind, recordId: key.id, version: record.version, kind: .full))
        }
        for key in plan.changed {
            guard let record = stored[key] else { continue }
            if record.deleted {
                now.remove(key)
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
        let newEpoch = now == delivered ? epoch : try await storage.saveScopeSnapshot(device: principal.deviceId, records: now)
        let cursor = SyncCursor(generation: generation, sequence: plan.sequence, scopeEpoch: newEpoch)
        return PullResponse(
            changes: changes, evictions: evictions, cursor: cursor.encoded, hasMore: plan.hasMore, serverHlc: tick(),
            limited: limited)
    }
}
