import Foundation
import RapportModels
import RapportProtocol

extension SyncServer {
    /// Writes fields on the server's own authority (an administrator reassigning a customer,
    /// the finance feed updating a receivable, the tier job): server-only fields allowed, no
    /// scope check, clocks from the server's HLC. Creates the record when `key` is new.
    ///
    /// - Returns: the new version.
    /// - Throws: `ValidationError` if the result does not validate.
    @discardableResult
    public func serverWrite(_ key: RecordKey, fields changes: FieldMap, actor staffId: UUID? = nil) async throws -> Int64 {
        // Read, merge and commit in one write unit (joining the caller's, e.g. an admin change
        // with its audit entry).
        try await storage.syncWrite { tx in try await self.serverWrite(key, fields: changes, actor: staffId, tx: tx) }
    }

    private func serverWrite(
        _ key: RecordKey, fields changes: FieldMap, actor staffId: UUID?, tx: any SyncStorageTransaction
    ) async throws -> Int64 {
        while true {
            let now = wallClock.nowMillis()
            let stamp = tick()
            let current = try await tx.record(key)
            if current?.deleted == true {
                throw SyncError(.malformedRequest, "\(key) is deleted; it cannot be written")
            }
            let version = (current?.version ?? 0) + 1
            var fields = current?.fields ?? [:]
            for (path, value) in changes { fields[path] = value }
            fields["id"] = .string(key.id.uuidString)
            fields["version"] = .int(version)
            fields["updatedAt"] = Self.timestamp(now)
            if current == nil { fields["createdAt"] = Self.timestamp(now) }
            if let staffId { fields["updatedBy"] = .string(staffId.uuidString) }
            let normalised = try validate(key.kind, fields)
            let changed = normalised.keys.filter { normalised[$0] != current?.fields[$0] }.sorted()
            var states = current?.fieldStates ?? [:]
            for path in changed { states[path] = FieldState(clock: stamp, version: version, sequence: 0) }
            let record = StoredRecord(key: key, version: version, fields: normalised, fieldStates: states, sequence: 0)
            do {
                _ = try await tx.commit(
                    RecordCommit(record: record, expectedVersion: current?.version ?? 0, changedPaths: changed, outcome: nil),
                    committedAtMillis: now)
                return version
            } catch is SyncStorageConflict {
                continue
            }
        }
    }

    /// Deletes a record on the server's own authority (a tombstone).
    public func serverDelete(_ key: RecordKey) async throws {
        try await storage.syncWrite { tx in try await self.serverDelete(key, tx: tx) }
    }

    private func serverDelete(_ key: RecordKey, tx: any SyncStorageTransaction) async throws {
        while true {
            let now = wallClock.nowMillis()
            let stamp = tick()
            guard let current = try await tx.record(key), !current.deleted else { return }
            let version = current.version + 1
            var fields = current.fields
            fields["version"] = .int(version)
            fields["updatedAt"] = Self.timestamp(now)
            fields["deletedAt"] = Self.timestamp(now)
            var states = current.fieldStates
            let changed = ["deletedAt", "updatedAt", "version"]
            for path in changed { states[path] = FieldState(clock: stamp, version: version, sequence: 0) }
            let record = StoredRecord(key: key, version: version, deleted: true, deletedAtMillis: now, fields: fields, fieldStates: states, sequence: 0)
            do {
                _ = try await tx.commit(
                    RecordCommit(record: record, expectedVersion: current.version, changedPaths: changed, outcome: nil), committedAtMillis: now)
                return
            } catch is SyncStorageConflict {
                continue
            }
        }
    }

    /// Drops tombstones, change-log entries and mutation ids older than the configured
    /// retention; devices whose cursor falls below the new floor get `resetRequired`.
    public func expireHistory() async throws {
        try await storage.purgeHistory(before: wallClock.nowMillis() - configuration.historyRetentionMillis)
    }
}
