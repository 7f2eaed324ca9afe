import Foundation
import RapportModels
import RapportProtocol

extension SyncServer {
    /// Applies a push: each mutation in order, idempotently by its client mutation id. A
    /// rejected mutation never stops the ones after it.
    ///
    /// - Throws: ``SyncError`` with ``SyncError/Code/unsupportedProtocolVersion``,
    ///   ``SyncError/Code/batchTooLarge`` or ``SyncError/Code/wipeRequired``; per-mutation
    ///   problems are results, not errors.
    public func push(_ request: PushRequest, from principal: SyncPrincipal) async throws -> PushResponse {
        try SyncProtocol.check(request.protocolVersion)
        try configuration.limits.check(request)
        try await checkStanding(principal)
        // One write unit for the whole push: every mutation's record, change-log entry and
        // outcome commit together (a push that fails half-way leaves nothing, and its retry
        // replays nothing twice). Mutations stay independent in their answers: a rejected one
        // is an outcome in the same unit and never stops the ones after it.
        let applied = try await storage.syncWrite { tx in
            var results: [MutationResult] = []
            var keys: [RecordKey?] = []
            for mutation in request.mutations {
                let (result, key) = try await self.applyWithRetry(mutation, principal: principal, tx: tx)
                results.append(result)
                keys.append(key)
            }
            return (results, keys, try await tx.records(keys.compactMap { $0 }))
        }
        var results = applied.0
        let keys = applied.1
        let stored = applied.2
        let visible = try await scope.visibleRecords(for: principal)
        var sending: [(index: Int, record: StoredRecord)] = []
        for index in results.indices {
            guard let key = keys[index], let record = stored[key] else { continue }
            if record.deleted {
                results[index].record = SyncRecord(
                    entity: key.kind, id: key.id, version: record.version, deleted: true, fields: [:])
            } else if visible.contains(key) {
                sending.append((index, record))
            }
        }
        if !sending.isEmpty {
            let admission = try await scope.admit(sending.map(\.record.key), via: .push, principal: principal)
            sending = Array(sending.prefix(max(0, admission.admitted)))
        }
        if !sending.isEmpty {
            let masked = try await scope.mask(sending.map { ($0.record.key, $0.record.fields) }, principal: principal)
            guard masked.count == sending.count else { throw SyncError.maskCountMismatch(masked.count, sending.count) }
            for (item, view) in zip(sending, masked) {
                results[item.index].record = SyncRecord(
                    entity: item.record.key.kind, id: item.record.key.id, version: item.record.version,
                    fields: view.fields, masked: view.masked.isEmpty ? nil : view.masked.sorted())
            }
        }
        return PushResponse(results: results, serverHlc: tick())
    }

    private func applyWithRetry(
        _ mutation: Mutation, principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> (MutationResult, RecordKey?) {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await apply(mutation, principal: principal, tx: tx)
            } catch is SyncStorageConflict where attempt < configuration.maxCommitAttempts {
                continue
            } catch is SyncStorageConflict {
                throw SyncError(.unavailable, "the record \(mutation.recordId) is being written by others; retry the push", retryAfterSeconds: 1)
            }
        }
    }

    private func apply(_ mutation: Mutation, principal: SyncPrincipal, tx: any SyncStorageTransaction) async throws -> (MutationResult, RecordKey?) {
        let key = RecordKey(mutation.entity, mutation.recordId)
        if let outcome = try await tx.outcome(of: mutation.clientMutationId) {
            guard outcome.principal.staffId == principal.staffId, outcome.key == key else {
                return (reject(mutation, .invalidMutation, "the mutation id \(mutation.clientMutationId) was already used for another change; make a new id"), nil)
            }
            let replay = MutationResult(
                clientMutationId: mutation.clientMutationId, status: outcome.status, version: outcome.version,
                conflicts: outcome.conflicts, rejection: outcome.rejection, replayed: true)
            return (try await scope.seal(replay, kind: key.kind, principal: principal), key)
        }
        if mutation.fields.count > configuration.limits.maxFieldsPerMutation {
            return try await remember(
                reject(mutation, .invalidMutation, "the mutation changes \(mutation.fields.count) fields, more than \(configuration.limits.maxFieldsPerMutation); split it"),
                key: key, principal: principal, tx: tx)
        }
        let now = wallClock.nowMillis()
        let clockOverride = admitClocks(of: mutation, now: now)
        let current = try await tx.record(key)
        // The gate, before the stored record is merged, compared or quoted (`RecordGate`).
        let gate = try await scope.gate(
            mutation.op, key: key, stored: current?.fields, changedPaths: mutation.fields.keys.sorted(), principal: principal)
        switch (mutation.op, gate) {
        case (.create, .unseen) where current != nil, (.update, .unseen), (.delete, .unseen):
            return try await remember(rejected(mutation, Self.unseenRejection(key)), key: key, principal: principal, tx: tx)
        case (.update, .readOnly(let message)), (.delete, .readOnly(let message)):
            return try await remember(reject(mutation, .forbidden, message), key: key, principal: principal, tx: tx)
        case (.create, _):
            return try await create(mutation, key: key, current: current, clockOverride: clockOverride, now: now, principal: principal, tx: tx)
        case (.update, .writable(let opaque)):
            return try await update(
                mutation, key: key, current: current, clockOverride: clockOverride, now: now, principal: principal, opaque: opaque,
                tx: tx)
        case (.delete, .writable):
            return try await delete(mutation, key: key, current: current, clockOverride: clockOverride, now: now, principal: principal, tx: tx)
        }
    }

    /// The one answer to a mutation naming a record that does not exist or that the pusher may
    /// not read: the same words for both, so the answer tells nothing about the record.
    public static func unseenRejection(_ key: RecordKey) -> Rejection {
        Rejection(
            code: .forbidden,
            message:
                "there is no \(key.kind.rawValue) \(key.id) that you may change: it does not exist or is outside your access; "
                + "discard the local copy and pull again")
    }

    /// Bounds the mutation's clocks; returns the server clock to use instead when any is too
    /// far ahead.
    private func admitClocks(of mutation: Mutation, now: Int64) -> HLCTimestamp? {
        let stamps = [mutation.hlc] + (mutation.fieldHlc.map { Array($0.values) } ?? [])
        let latest = stamps.max()!
        switch clock.admit(latest, wallMillis: now, maxAheadMillis: configuration.maxClockAheadMillis) {
        case .accepted: return nil
        case .clamped(_, let used): return used
        }
    }

    private func create(
        _ mutation: Mutation, key: RecordKey, current: StoredRecord?, clockOverride: HLCTimestamp?, now: Int64,
        principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> (MutationResult, RecordKey?) {
        if current != nil {
            return try await remember(
                reject(mutation, .alreadyExists, "a \(key.kind.rawValue) with id \(key.id) already exists; create the record with a new id"),
                key: key, principal: principal, tx: tx)
        }
        var fields: FieldMap
        do {
            fields = try FieldMerge.create(mutation, definitions: configuration.customFieldDefinitions)
        } catch {
            return try await remember(rejected(mutation, error.rejection), key: key, principal: principal, tx: tx)
        }
        if let id = fields["id"], id != .string(key.id.uuidString) {
            return try await remember(
                reject(mutation, .invalidMutation, "the 'id' field differs from 'recordId'; send the same id in both", field: "id"),
                key: key, principal: principal, tx: tx)
        }
        fields["id"] = .string(key.id.uuidString)
        fields["version"] = .int(1)
        fields["createdAt"] = Self.timestamp(now)
        fields["updatedAt"] = Self.timestamp(now)
        fields["deletedAt"] = .null
        fields["createdBy"] = .string(principal.staffId.uuidString)
        fields["updatedBy"] = .string(principal.staffId.uuidString)
        let normalised: FieldMap
        do {
            normalised = try validate(key.kind, fields)
        } catch let error as ValidationError {
            return try await remember(rejectValidation(mutation, error), key: key, principal: principal, tx: tx)
        }
        if case .denied(let message) = try await scope.authorize(
            ProposedWrite(op: .create, key: key, before: nil, after: normalised, changedPaths: mutation.fields.keys.sorted()),
            principal: principal)
        {
            return try await remember(reject(mutation, .forbidden, message), key: key, principal: principal, tx: tx)
        }
        var states: [String: FieldState] = [:]
        for path in normalised.keys {
            states[path] = FieldState(clock: clockOverride ?? mutation.clock(of: path), version: 1, sequence: 0)
        }
        let record = StoredRecord(key: key, version: 1, fields: normalised, fieldStates: states, sequence: 0)
        let result = MutationResult(clientMutationId: mutation.clientMutationId, status: .applied, version: 1)
        _ = try await tx.commit(
            RecordCommit(record: record, expectedVersion: 0, changedPaths: normalised.keys.sorted(), outcome: outcome(result, key, principal, now)),
            committedAtMillis: now)
        return (result, key)
    }

    private func update(
        _ mutation: Mutation, key: RecordKey, current: StoredRecord?, clockOverride: HLCTimestamp?, now: Int64,
        principal: SyncPrincipal, opaque: Set<String>, tx: any SyncStorageTransaction
    ) async throws -> (MutationResult, RecordKey?) {
        guard let current else {
            return try await remember(rejected(mutation, Self.unseenRejection(key)), key: key, principal: principal, tx: tx)
        }
        if current.deleted {
            return try await remember(
                reject(mutation, .recordDeleted, "the \(key.kind.rawValue) was deleted on the server; deletion wins over edits, so your changes were not applied"),
                key: key, principal: principal, tx: tx)
        }
        let merge: FieldMergeOutcome
        do {
            merge = try FieldMerge.update(
                mutation, current: current.fields, state: current.fieldStates,
                definitions: configuration.customFieldDefinitions, clockOverride: clockOverride, opaque: opaque)
        } catch {
            return try await remember(rejected(mutation, error.rejection), key: key, principal: principal, tx: tx)
        }
        var fields = current.fields.merging(merge.values) { _, new in new }
        let version = current.version + 1
        fields["version"] = .int(version)
        fields["updatedAt"] = Self.timestamp(now)
        fields["updatedBy"] = .string(principal.staffId.uuidString)
        let normalised: FieldMap
        do {
            normalised = try validate(key.kind, fields)
        } catch let error as ValidationError {
            return try await remember(rejectValidation(mutation, error), key: key, principal: principal, tx: tx)
        }
        // A path the pusher may not read in clear counts as changed even when the value is the
        // stored one: whether a write changed anything must not tell them the stored value.
        let written = opaque.intersection(mutation.fields.keys)
        let changed = normalised.keys.filter { normalised[$0] != current.fields[$0] || written.contains($0) }.sorted()
        let status: MutationStatus = merge.concurrent || !merge.conflicts.isEmpty ? .merged : .applied
        let conflicts = merge.conflicts.isEmpty ? nil : merge.conflicts
        if changed.allSatisfy(FieldMerge.serverStamps.contains) {
            let result = MutationResult(clientMutationId: mutation.clientMutationId, status: status, version: current.version, conflicts: conflicts)
            return try await remember(result, key: key, principal: principal, tx: tx)
        }
        if case .denied(let message) = try await scope.authorize(
            ProposedWrite(op: .update, key: key, before: current.fields, after: normalised, changedPaths: mutation.fields.keys.sorted()),
            principal: principal)
        {
            return try await remember(reject(mutation, .forbidden, message), key: key, principal: principal, tx: tx)
        }
        var states = current.fieldStates
        let stampClock = clockOverride ?? mutation.hlc
        for path in changed {
            states[path] = FieldState(clock: merge.clocks[path] ?? stampClock, version: version, sequence: 0)
        }
        for (path, clock) in merge.clocks where !changed.contains(path) {
            states[path]?.clock = clock
        }
        let record = StoredRecord(key: key, version: version, fields: normalised, fieldStates: states, sequence: 0)
        let result = try await scope.seal(
            MutationResult(clientMutationId: mutation.clientMutationId, status: status, version: version, conflicts: conflicts),
            kind: key.kind, principal: principal)
        _ = try await tx.commit(
            RecordCommit(record: record, expectedVersion: current.version, changedPaths: changed, outcome: outcome(result, key, principal, now)),
            committedAtMillis: now)
        return (result, key)
    }

    private func delete(
        _ mutation: Mutation, key: RecordKey, current: StoredRecord?, clockOverride: HLCTimestamp?, now: Int64,
        principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> (MutationResult, RecordKey?) {
        guard let current else {
            return try await remember(rejected(mutation, Self.unseenRejection(key)), key: key, principal: principal, tx: tx)
        }
        if current.deleted {
            let result = MutationResult(clientMutationId: mutation.clientMutationId, status: .applied, version: current.version)
            return try await remember(result, key: key, principal: principal, tx: tx)
        }
        if case .denied(let message) = try await scope.authorize(
            ProposedWrite(op: .delete, key: key, before: current.fields, after: nil, changedPaths: []), principal: principal)
        {
            return try await remember(reject(mutation, .forbidden, message), key: key, principal: principal, tx: tx)
        }
        let version = current.version + 1
        var fields = current.fields
        fields["version"] = .int(version)
        fields["updatedAt"] = Self.timestamp(now)
        fields["deletedAt"] = Self.timestamp(now)
        fields["updatedBy"] = .string(principal.staffId.uuidString)
        let changed = ["deletedAt", "updatedAt", "updatedBy", "version"]
        var states = current.fieldStates
        for path in changed {
            states[path] = FieldState(clock: clockOverride ?? mutation.hlc, version: version, sequence: 0)
        }
        let record = StoredRecord(
            key: key, version: version, deleted: true, deletedAtMillis: now, fields: fields, fieldStates: states, sequence: 0)
        let result = MutationResult(clientMutationId: mutation.clientMutationId, status: .applied, version: version)
        _ = try await tx.commit(
            RecordCommit(record: record, expectedVersion: current.version, changedPaths: changed, outcome: outcome(result, key, principal, now)),
            committedAtMillis: now)
        return (result, key)
    }

    // MARK: - Helpers

    func validate(_ kind: EntityKind, _ fields: FieldMap) throws -> FieldMap {
        let (entity, normalised) = try EntityFields.validated(kind, from: fields)
        if !configuration.customFieldDefinitions.isEmpty {
            try entity.validateCustomFields(against: configuration.customFieldDefinitions)
        }
        return normalised
    }

    /// Stores the answer for replays — sealed for the pusher (``SyncScopeProvider/seal(_:kind:principal:)``),
    /// so the server never keeps a copy of a value the pusher may not read — and returns it.
    private func remember(
        _ answer: MutationResult, key: RecordKey, principal: SyncPrincipal, tx: any SyncStorageTransaction
    ) async throws -> (MutationResult, RecordKey?) {
        let result = try await scope.seal(answer, kind: key.kind, principal: principal)
        let now = wallClock.nowMillis()
        _ = try await tx.commit(
            RecordCommit(record: nil, expectedVersion: 0, changedPaths: [], outcome: outcome(result, key, principal, now)),
            committedAtMillis: now)
        return (result, key)
    }

    private func outcome(_ result: MutationResult, _ key: RecordKey, _ principal: SyncPrincipal, _ now: Int64) -> StoredMutationOutcome {
        StoredMutationOutcome(
            clientMutationId: result.clientMutationId, principal: principal, key: key, status: result.status,
            version: result.version, conflicts: result.conflicts, rejection: result.rejection, recordedAtMillis: now)
    }

    private func reject(_ mutation: Mutation, _ code: RejectionCode, _ message: String, field: String? = nil) -> MutationResult {
        rejected(mutation, Rejection(code: code, message: message, field: field))
    }

    private func rejected(_ mutation: Mutation, _ rejection: Rejection) -> MutationResult {
        MutationResult(clientMutationId: mutation.clientMutationId, status: .rejected, rejection: rejection)
    }

    private func rejectValidation(_ mutation: Mutation, _ error: ValidationError) -> MutationResult {
        rejected(
            mutation,
            Rejection(code: .validation, message: error.message, field: error.field.isEmpty ? nil : error.field, rule: error.rule.code))
    }
}
