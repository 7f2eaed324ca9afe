import Foundation
import GRDB
import RapportModels
import RapportProtocol
import RapportSyncServer

/// RapportSyncServer's server storage on the server's SQLite database (`Docs/Protocol.md`, "Server
/// storage contract"); tables in ``SQLiteServerStorage/registerSyncMigrations(_:)``.
///
/// **Sequence order is commit order.** SQLite admits one writer at a time, and a commit takes
/// its sequence (`syncChange`'s `AUTOINCREMENT` key) inside its own write transaction. A
/// sequence therefore becomes visible exactly when its transaction commits, and no transaction
/// holding a lower sequence can still be open. ``stableSequence()`` is simply the highest
/// committed sequence as seen by a read transaction: every change at or below it is visible,
/// and any later commit gets a higher number. (PostgreSQL, with concurrent writers, will need
/// the in-flight tracking the contract describes.)
extension SQLiteServerStorage {
    /// The change log's lineage: the `generation` setting, raised by every restore.
    public func generation() async throws -> UInt32 {
        try await syncRun("reading the history generation") {
            try await self.unit(.read) { db in
                let text = try String.fetchOne(
                    db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [Self.generationSetting])
                return UInt32(text.flatMap { Int($0) }.map { max(0, min($0, Int(UInt32.max))) } ?? 0)
            }
        }
    }

    /// The record, live or tombstone, or `nil`.
    public func record(_ key: RecordKey) async throws -> StoredRecord? {
        try await syncRun("reading a record") {
            try await self.unit(.read) { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM syncRecord WHERE kind = ? AND id = ?",
                    arguments: [key.kind.rawValue, key.id.uuidString]
                ).map(Self.storedRecord)
            }
        }
    }

    /// The records of `keys` that exist, read in one transaction with one query per kind and
    /// chunk of ids (instead of one query per record).
    public func records(_ keys: [RecordKey]) async throws -> [RecordKey: StoredRecord] {
        if keys.isEmpty { return [:] }
        var ids: [EntityKind: [String]] = [:]
        for key in Set(keys) { ids[key.kind, default: []].append(key.id.uuidString) }
        let byKind = ids
        return try await syncRun("reading records") {
            try await self.unit(.read) { db in
                var result: [RecordKey: StoredRecord] = [:]
                for (kind, ids) in byKind {
                    for start in stride(from: 0, to: ids.count, by: Self.idsPerQuery) {
                        let chunk = ids[start..<min(start + Self.idsPerQuery, ids.count)]
                        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                        let rows = try Row.fetchCursor(
                            db, sql: "SELECT * FROM syncRecord WHERE kind = ? AND id IN (\(marks))",
                            arguments: StatementArguments([kind.rawValue] + Array(chunk)))
                        while let row = try rows.next() {
                            let record = try Self.storedRecord(row)
                            result[record.key] = record
                        }
                    }
                }
                return result
            }
        }
    }

    /// The most ids bound in one `IN (...)` list.
    static let idsPerQuery = 500

    /// The remembered outcome of a mutation id, or `nil`.
    public func outcome(of clientMutationId: UUID) async throws -> StoredMutationOutcome? {
        try await syncRun("reading a mutation outcome") {
            try await self.unit(.read) { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM syncOutcome WHERE mutationId = ?", arguments: [clientMutationId.uuidString]
                ).map(Self.outcome)
            }
        }
    }

    /// Writes record, change-log entry, access facts and outcome in one transaction.
    ///
    /// - Throws: `SyncStorageConflict` when the mutation id is already recorded or the record's
    ///   version is not `commit.expectedVersion`.
    public func commit(_ commit: RecordCommit, committedAtMillis: Int64) async throws -> Int64 {
        try await syncRun("committing a sync write") {
            try await self.unit(.write) { db in
                if let outcome = commit.outcome,
                    try Bool.fetchOne(
                        db, sql: "SELECT 1 FROM syncOutcome WHERE mutationId = ?",
                        arguments: [outcome.clientMutationId.uuidString]) == true
                {
                    throw SyncStorageConflict()
                }
                var sequence = try Self.lastSequence(db)
                if var record = commit.record {
                    let stored = try Int64.fetchOne(
                        db, sql: "SELECT version FROM syncRecord WHERE kind = ? AND id = ?",
                        arguments: [record.key.kind.rawValue, record.key.id.uuidString])
                    guard (stored ?? 0) == commit.expectedVersion else { throw SyncStorageConflict() }
                    try db.execute(
                        sql: """
                            INSERT INTO syncChange (kind, id, version, paths, deleted, committedAtMillis)
                            VALUES (?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            record.key.kind.rawValue, record.key.id.uuidString, record.version,
                            try Self.encode(commit.changedPaths.sorted()), record.deleted, committedAtMillis,
                        ])
                    sequence = db.lastInsertedRowID
                    record.sequence = sequence
                    for (path, state) in record.fieldStates where state.sequence == 0 {
                        record.fieldStates[path]?.sequence = sequence
                    }
                    try Self.save(record, db)
                    try Self.saveFacts(of: record, db)
                }
                if let outcome = commit.outcome { try Self.save(outcome, db) }
                return sequence
            }
        }
    }

    /// The highest committed sequence (see the type's documentation for why that is stable).
    public func stableSequence() async throws -> Int64 {
        try await syncRun("reading the change log") {
            try await self.unit(.read) { db in try Self.lastSequence(db) }
        }
    }

    /// Change-log entries with `after < sequence <= upTo`, in order, at most `limit`.
    public func changes(after: Int64, upTo: Int64, limit: Int) async throws -> [ChangeLogEntry] {
        try await syncRun("reading the change log") {
            try await self.unit(.read) { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT * FROM syncChange WHERE sequence > ? AND sequence <= ?
                        ORDER BY sequence LIMIT ?
                        """,
                    arguments: [after, upTo, limit]
                ).map { row in
                    ChangeLogEntry(
                        sequence: row["sequence"], key: try Self.key(row["kind"], row["id"]), version: row["version"],
                        paths: try Self.decode([String].self, row["paths"]), deleted: row["deleted"],
                        committedAtMillis: row["committedAtMillis"])
                }
            }
        }
    }

    /// The sequence at or below which history may have been purged.
    public func historyFloor() async throws -> Int64 {
        try await syncRun("reading the history floor") {
            try await self.unit(.read) { db in
                try Int64.fetchOne(db, sql: "SELECT value FROM syncState WHERE key = 'historyFloor'") ?? 0
            }
        }
    }

    /// Drops the change-log prefix committed before `cutoffMillis`, tombstones deleted before
    /// it whose last change is at or below the new floor, and mutation outcomes recorded before
    /// it; raises the floor to the last dropped sequence.
    public func purgeHistory(before cutoffMillis: Int64) async throws {
        try await syncRun("purging sync history") {
            try await self.unit(.write) { db in
                let firstKept = try Int64.fetchOne(
                    db, sql: "SELECT MIN(sequence) FROM syncChange WHERE committedAtMillis >= ?",
                    arguments: [cutoffMillis])
                let lastDropped: Int64? =
                    if let firstKept {
                        try Int64.fetchOne(
                            db, sql: "SELECT MAX(sequence) FROM syncChange WHERE sequence < ?", arguments: [firstKept])
                    } else {
                        try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM syncChange")
                    }
                var floor = try Int64.fetchOne(db, sql: "SELECT value FROM syncState WHERE key = 'historyFloor'") ?? 0
                if let lastDropped {
                    try db.execute(sql: "DELETE FROM syncChange WHERE sequence <= ?", arguments: [lastDropped])
                    floor = max(floor, lastDropped)
                    try db.execute(
                        sql: "UPDATE syncState SET value = ? WHERE key = 'historyFloor'", arguments: [floor])
                }
                try db.execute(
                    sql: "DELETE FROM syncRecord WHERE deleted = 1 AND deletedAtMillis < ? AND sequence <= ?",
                    arguments: [cutoffMillis, floor])
                try db.execute(sql: "DELETE FROM syncOutcome WHERE recordedAtMillis < ?", arguments: [cutoffMillis])
            }
        }
    }

    /// The device's snapshot `epoch`; epoch 0 is empty; `nil` if never stored or pruned.
    public func scopeSnapshot(device: UUID, epoch: Int64) async throws -> Set<RecordKey>? {
        if epoch == 0 { return [] }
        return try await syncRun("reading a scope snapshot") {
            try await self.unit(.read) { db in
                guard
                    let row = try Row.fetchOne(
                        db, sql: "SELECT lastEpoch, minEpoch FROM syncDeviceEpoch WHERE deviceId = ?",
                        arguments: [device.uuidString]),
                    epoch <= row["lastEpoch"] as Int64, epoch >= row["minEpoch"] as Int64
                else { return nil }
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT kind, id FROM syncScope
                        WHERE deviceId = ? AND fromEpoch <= ? AND (toEpoch IS NULL OR toEpoch > ?)
                        """,
                    arguments: [device.uuidString, epoch, epoch])
                return Set(try rows.map { try Self.key($0["kind"], $0["id"]) })
            }
        }
    }

    /// Stores `records` as the device's next epoch: closes the intervals of records that left
    /// the latest snapshot and opens intervals for records that entered it.
    public func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) async throws -> Int64 {
        try await syncRun("saving a scope snapshot") {
            try await self.unit(.write) { db in
                let deviceId = device.uuidString
                let last =
                    try Int64.fetchOne(
                        db, sql: "SELECT lastEpoch FROM syncDeviceEpoch WHERE deviceId = ?", arguments: [deviceId]) ?? 0
                let epoch = last + 1
                let open = Set(
                    try Row.fetchAll(
                        db, sql: "SELECT kind, id FROM syncScope WHERE deviceId = ? AND toEpoch IS NULL",
                        arguments: [deviceId]
                    ).map { try Self.key($0["kind"], $0["id"]) })
                let close = try db.makeStatement(
                    sql: "UPDATE syncScope SET toEpoch = ? WHERE deviceId = ? AND kind = ? AND id = ? AND toEpoch IS NULL")
                for key in open.subtracting(records) {
                    try close.execute(arguments: [epoch, deviceId, key.kind.rawValue, key.id.uuidString])
                }
                let insert = try db.makeStatement(
                    sql: "INSERT INTO syncScope (deviceId, kind, id, fromEpoch, toEpoch) VALUES (?, ?, ?, ?, NULL)")
                for key in records.subtracting(open) {
                    try insert.execute(arguments: [deviceId, key.kind.rawValue, key.id.uuidString, epoch])
                }
                try db.execute(
                    sql: """
                        INSERT INTO syncDeviceEpoch (deviceId, lastEpoch, minEpoch) VALUES (?, ?, 0)
                        ON CONFLICT(deviceId) DO UPDATE SET lastEpoch = excluded.lastEpoch
                        """,
                    arguments: [deviceId, epoch])
                return epoch
            }
        }
    }

    /// Forgets the device's snapshots before `epoch`. Nothing to do (and no write transaction,
    /// which would queue behind pushes) when an earlier call already pruned up to `epoch`: every
    /// interval closed since then closes at a later epoch.
    public func pruneScopeSnapshots(device: UUID, before epoch: Int64) async throws {
        let pruned = try await syncRun("reading scope snapshots") {
            try await self.unit(.read) { db in
                try Int64.fetchOne(
                    db, sql: "SELECT minEpoch FROM syncDeviceEpoch WHERE deviceId = ?", arguments: [device.uuidString])
            }
        }
        if let pruned, pruned >= epoch { return }
        try await syncRun("pruning scope snapshots") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "DELETE FROM syncScope WHERE deviceId = ? AND toEpoch IS NOT NULL AND toEpoch <= ?",
                    arguments: [device.uuidString, epoch])
                try db.execute(
                    sql: "UPDATE syncDeviceEpoch SET minEpoch = MAX(minEpoch, ?) WHERE deviceId = ?",
                    arguments: [epoch, device.uuidString])
            }
        }
    }

    // MARK: - Helpers

    /// Like ``run(_:_:)``, but lets `SyncStorageConflict` through (the sync core retries on it).
    func syncRun<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let conflict as SyncStorageConflict {
            throw conflict
        } catch let error as ServerError {
            throw error
        } catch {
            let failure = ServerError.storageFailure(while: what, cause: error)
            health.note(failure)
            throw failure
        }
    }

    static func lastSequence(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'syncChange'") ?? 0
    }

    static func key(_ kind: String, _ id: String) throws -> RecordKey {
        guard let entity = EntityKind(rawValue: kind) else {
            throw ServerError(.storage, "the database holds an unknown record kind '\(kind)'; upgrade the server")
        }
        return RecordKey(entity, try uuid(id))
    }

    static func storedRecord(_ row: Row) throws -> StoredRecord {
        let fieldsText: String = row["fields"]
        guard case .object(let fields) = try JSONValue(parsing: Data(fieldsText.utf8)) else {
            throw ServerError(.storage, "the database holds a malformed record; restore from a backup")
        }
        return StoredRecord(
            key: try key(row["kind"], row["id"]), version: row["version"], deleted: row["deleted"],
            deletedAtMillis: row["deletedAtMillis"], fields: fields,
            fieldStates: try fieldStates(row["fieldStates"]), sequence: row["sequence"])
    }

    /// Decodes a record's `fieldStates` column (`{"path": {"clock": "…", "version": n, "sequence": n}}`)
    /// with the JSONValue parser, which is far cheaper than `JSONDecoder` for this hot path (every
    /// record a pull or push reads); anything of another shape goes through `JSONDecoder` as before.
    static func fieldStates(_ text: String) throws -> [String: FieldState] {
        guard case .object(let members) = try? JSONValue(parsing: Data(text.utf8)) else {
            return try decode([String: FieldState].self, text)
        }
        var states: [String: FieldState] = [:]
        states.reserveCapacity(members.count)
        for (path, value) in members {
            guard case .object(let state) = value, state.count == 3, let clock = state["clock"]?.stringValue,
                case .int(let version) = state["version"], case .int(let sequence) = state["sequence"]
            else { return try decode([String: FieldState].self, text) }
            states[path] = FieldState(clock: try HLCTimestamp(parsing: clock), version: version, sequence: sequence)
        }
        return states
    }

    /// Encodes `fieldStates` in the shape ``fieldStates(_:)`` reads (the `Codable` shape).
    static func encodeFieldStates(_ states: [String: FieldState]) throws -> String {
        var members: [String: JSONValue] = [:]
        members.reserveCapacity(states.count)
        for (path, state) in states {
            members[path] = .object([
                "clock": .string(state.clock.description), "version": .int(state.version),
                "sequence": .int(state.sequence),
            ])
        }
        return String(decoding: try JSONValue.object(members).jsonData(), as: UTF8.self)
    }

    static func save(_ record: StoredRecord, _ db: Database) throws {
        let fields = String(decoding: try JSONValue.object(record.fields).jsonData(), as: UTF8.self)
        let customerId =
            record.key.kind == .customer ? nil : record.fields["customerId"]?.stringValue.flatMap(UUID.init)?.uuidString
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO syncRecord
                    (kind, id, version, deleted, deletedAtMillis, sequence, customerId, fields, fieldStates)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.key.kind.rawValue, record.key.id.uuidString, record.version, record.deleted,
                record.deletedAtMillis, record.sequence, customerId, fields, try encodeFieldStates(record.fieldStates),
            ])
    }

    /// Keeps the access facts of customers (and open complaints) in step with the record.
    static func saveFacts(of record: StoredRecord, _ db: Database) throws {
        let id = record.key.id.uuidString
        func uuidField(_ path: String) -> String? {
            record.fields[path]?.stringValue.flatMap(UUID.init(uuidString:))?.uuidString
        }
        switch record.key.kind {
        case .customer:
            try db.execute(sql: "DELETE FROM syncCustomerTag WHERE customerId = ?", arguments: [id])
            guard !record.deleted, let owner = uuidField("ownerId") else {
                try db.execute(sql: "DELETE FROM syncCustomer WHERE id = ?", arguments: [id])
                return
            }
            // A missing team or tier is stored as '' (not NULL): see `sql(_:arguments:)`.
            let tier = record.fields["tierOverride"]?.stringValue ?? record.fields["tier"]?.stringValue
            let manager = uuidField("accountManagerId")
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO syncCustomer (id, ownerId, teamId, tier, accountManagerId, keyAnchor)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, owner, uuidField("teamId") ?? "", tier ?? "", manager, manager ?? owner])
            let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO syncCustomerTag (customerId, tag) VALUES (?, ?)")
            for tag in record.fields["tags"]?.arrayValue ?? [] {
                if let tag = tag.stringValue { try insert.execute(arguments: [id, tag]) }
            }
        case .complaint:
            let open = !record.deleted && record.fields["stage"]?.stringValue != "closed"
            if open, let customer = uuidField("customerId"), let assignee = uuidField("assigneeId") {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO syncOpenComplaint (complaintId, customerId, assigneeId) VALUES (?, ?, ?)",
                    arguments: [id, customer, assignee])
            } else {
                try db.execute(sql: "DELETE FROM syncOpenComplaint WHERE complaintId = ?", arguments: [id])
            }
        default:
            break
        }
    }

    static func outcome(_ row: Row) throws -> StoredMutationOutcome {
        guard let status = MutationStatus(rawValue: row["status"]) else {
            throw ServerError(.storage, "the database holds an unknown mutation status; upgrade the server")
        }
        return StoredMutationOutcome(
            clientMutationId: try uuid(row["mutationId"]),
            principal: SyncPrincipal(staffId: try uuid(row["staffId"]), deviceId: try uuid(row["deviceId"])),
            key: try key(row["kind"], row["recordId"]), status: status, version: row["version"],
            conflicts: try (row["conflicts"] as String?).map { try decode([FieldConflict].self, $0) },
            rejection: try (row["rejection"] as String?).map { try decode(Rejection.self, $0) },
            recordedAtMillis: row["recordedAtMillis"])
    }

    static func save(_ outcome: StoredMutationOutcome, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO syncOutcome
                    (mutationId, staffId, deviceId, kind, recordId, status, version, conflicts, rejection, recordedAtMillis)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                outcome.clientMutationId.uuidString, outcome.principal.staffId.uuidString,
                outcome.principal.deviceId.uuidString, outcome.key.kind.rawValue, outcome.key.id.uuidString,
                outcome.status.rawValue, outcome.version, try outcome.conflicts.map(encode),
                try outcome.rejection.map(encode), outcome.recordedAtMillis,
            ])
    }
}
