import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// RapportSyncServer's storage contract on PostgreSQL (`Docs/Protocol.md` §11).
///
/// **Sequence order is commit order, across instances.** Every write unit holds the writer
/// advisory lock from its first statement to its commit, so write units of all instances run
/// one after another; a commit takes its sequence from the `lastSequence` counter in
/// `syncState` inside its own transaction (no gaps: a rolled-back unit returns its numbers).
/// PostgreSQL releases a transaction's locks only after its commit is visible, so the next
/// writer, and every snapshot taken after it, sees the earlier commit. A read unit's
/// ``stableSequence()`` is the counter in its snapshot: every change at or below it is in the
/// same snapshot, and every later commit gets a higher number. A puller therefore never skips
/// a change that commits late, nor sees one twice.
extension PostgresServerStorage {
    /// The change log's lineage: the `generation` setting.
    public func generation() async throws -> UInt32 {
        let text = try await setting(SQLiteServerStorage.generationSetting)
        return UInt32(text.flatMap { Int($0) }.map { max(0, min($0, Int(UInt32.max))) } ?? 0)
    }

    /// The record, live or tombstone, or `nil`.
    public func record(_ key: RecordKey) async throws -> StoredRecord? {
        try await syncRun("reading a record") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT * FROM syncRecord WHERE kind = ? AND id = ?", [.text(key.kind.rawValue), .uuid(key.id)]
                ).map(Self.storedRecord)
            }
        }
    }

    /// The records of `keys` that exist, one query per kind.
    public func records(_ keys: [RecordKey]) async throws -> [RecordKey: StoredRecord] {
        if keys.isEmpty { return [:] }
        let byKind = Self.idsByKind(keys)
        return try await syncRun("reading records") {
            try await self.unit(.read) { sql in
                var result: [RecordKey: StoredRecord] = [:]
                for (kind, ids) in byKind {
                    for row in try await sql.rows(
                        "SELECT * FROM syncRecord WHERE kind = ? AND id = ANY(?)", [.text(kind.rawValue), .texts(ids)])
                    {
                        let record = try Self.storedRecord(row)
                        result[record.key] = record
                    }
                }
                return result
            }
        }
    }

    /// The remembered outcome of a mutation id, or `nil`.
    public func outcome(of clientMutationId: UUID) async throws -> StoredMutationOutcome? {
        try await syncRun("reading a mutation outcome") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM syncOutcome WHERE mutationId = ?", [.uuid(clientMutationId)]).map(
                    Self.outcome)
            }
        }
    }

    /// Writes record, change-log entry, access facts and outcome in one write unit.
    ///
    /// - Throws: `SyncStorageConflict` when the mutation id is already recorded or the record's
    ///   version is not `commit.expectedVersion`.
    public func commit(_ commit: RecordCommit, committedAtMillis: Int64) async throws -> Int64 {
        try await syncRun("committing a sync write") {
            try await self.unit(.write) { sql in
                if let outcome = commit.outcome,
                    try await sql.one(
                        "SELECT 1 AS found FROM syncOutcome WHERE mutationId = ?", [.uuid(outcome.clientMutationId)])
                        != nil
                {
                    throw SyncStorageConflict()
                }
                var sequence = try await Self.lastSequence(sql)
                if var record = commit.record {
                    let stored = try await sql.one(
                        "SELECT version FROM syncRecord WHERE kind = ? AND id = ?",
                        [.text(record.key.kind.rawValue), .uuid(record.key.id)])
                    guard (try stored?.int64("version") ?? 0) == commit.expectedVersion else {
                        throw SyncStorageConflict()
                    }
                    sequence =
                        try await sql.one(
                            "UPDATE syncState SET value = value + 1 WHERE key = 'lastSequence' RETURNING value"
                        )?.int64("value") ?? 0
                    try await sql.execute(
                        """
                        INSERT INTO syncChange (sequence, kind, id, version, paths, deleted, committedAtMillis)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                        [
                            .int(sequence), .text(record.key.kind.rawValue), .uuid(record.key.id), .int(record.version),
                            .text(try SQLiteServerStorage.encode(commit.changedPaths.sorted())), .bool(record.deleted),
                            .int(committedAtMillis),
                        ])
                    record.sequence = sequence
                    for (path, state) in record.fieldStates where state.sequence == 0 {
                        record.fieldStates[path]?.sequence = sequence
                    }
                    try await Self.save(record, sql)
                    try await Self.saveFacts(of: record, sql)
                }
                if let outcome = commit.outcome { try await Self.save(outcome, sql) }
                return sequence
            }
        }
    }

    /// The highest committed sequence in this unit's snapshot (stable: see the extension's
    /// documentation).
    public func stableSequence() async throws -> Int64 {
        try await syncRun("reading the change log") {
            try await self.unit(.read) { sql in try await Self.lastSequence(sql) }
        }
    }

    /// Change-log entries with `after < sequence <= upTo`, in order, at most `limit`.
    public func changes(after: Int64, upTo: Int64, limit: Int) async throws -> [ChangeLogEntry] {
        try await syncRun("reading the change log") {
            try await self.unit(.read) { sql in
                try await sql.rows(
                    "SELECT * FROM syncChange WHERE sequence > ? AND sequence <= ? ORDER BY sequence LIMIT ?",
                    [.int(after), .int(upTo), .int(limit)]
                ).map { row in
                    ChangeLogEntry(
                        sequence: try row.int64("sequence"), key: try Self.key(try row.text("kind"), try row.text("id")),
                        version: try row.int64("version"),
                        paths: try SQLiteServerStorage.decode([String].self, try row.text("paths")),
                        deleted: try row.bool("deleted"), committedAtMillis: try row.int64("committedAtMillis"))
                }
            }
        }
    }

    /// The sequence at or below which history may have been purged.
    public func historyFloor() async throws -> Int64 {
        try await syncRun("reading the history floor") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT value FROM syncState WHERE key = 'historyFloor'")?.int64("value") ?? 0
            }
        }
    }

    /// Drops the change-log prefix committed before `cutoffMillis` (as SQLite's does).
    public func purgeHistory(before cutoffMillis: Int64) async throws {
        try await syncRun("purging sync history") {
            try await self.unit(.write) { sql in
                let firstKept = try await sql.one(
                    "SELECT MIN(sequence) AS s FROM syncChange WHERE committedAtMillis >= ?", [.int(cutoffMillis)]
                )?.optionalInt64("s")
                let lastDropped: Int64? =
                    if let firstKept {
                        try await sql.one(
                            "SELECT MAX(sequence) AS s FROM syncChange WHERE sequence < ?", [.int(firstKept)]
                        )?.optionalInt64("s")
                    } else {
                        try await sql.one("SELECT MAX(sequence) AS s FROM syncChange")?.optionalInt64("s")
                    }
                var floor = try await sql.one("SELECT value FROM syncState WHERE key = 'historyFloor'")?.int64("value") ?? 0
                if let lastDropped {
                    try await sql.execute("DELETE FROM syncChange WHERE sequence <= ?", [.int(lastDropped)])
                    floor = max(floor, lastDropped)
                    try await sql.execute("UPDATE syncState SET value = ? WHERE key = 'historyFloor'", [.int(floor)])
                }
                try await sql.execute(
                    "DELETE FROM syncRecord WHERE deleted AND deletedAtMillis < ? AND sequence <= ?",
                    [.int(cutoffMillis), .int(floor)])
                try await sql.execute("DELETE FROM syncOutcome WHERE recordedAtMillis < ?", [.int(cutoffMillis)])
            }
        }
    }

    /// The device's snapshot `epoch`; epoch 0 is empty; `nil` if never stored or pruned.
    public func scopeSnapshot(device: UUID, epoch: Int64) async throws -> Set<RecordKey>? {
        if epoch == 0 { return [] }
        return try await syncRun("reading a scope snapshot") {
            try await self.unit(.read) { sql in
                guard
                    let row = try await sql.one(
                        "SELECT lastEpoch, minEpoch FROM syncDeviceEpoch WHERE deviceId = ?", [.uuid(device)]),
                    epoch <= (try row.int64("lastEpoch")), epoch >= (try row.int64("minEpoch"))
                else { return nil }
                let rows = try await sql.rows(
                    """
                    SELECT kind, id FROM syncScope
                    WHERE deviceId = ? AND fromEpoch <= ? AND (toEpoch IS NULL OR toEpoch > ?)
                    """, [.uuid(device), .int(epoch), .int(epoch)])
                return Set(try rows.map { try Self.key(try $0.text("kind"), try $0.text("id")) })
            }
        }
    }

    /// Stores `records` as the device's next epoch (closing and opening intervals).
    public func saveScopeSnapshot(device: UUID, records: Set<RecordKey>) async throws -> Int64 {
        try await syncRun("saving a scope snapshot") {
            try await self.unit(.write) { sql in
                let deviceId = device.uuidString
                let last =
                    try await sql.one("SELECT lastEpoch FROM syncDeviceEpoch WHERE deviceId = ?", [.text(deviceId)])?
                    .int64("lastEpoch") ?? 0
                let epoch = last + 1
                let open = Set(
                    try await sql.rows(
                        "SELECT kind, id FROM syncScope WHERE deviceId = ? AND toEpoch IS NULL", [.text(deviceId)]
                    ).map { try Self.key(try $0.text("kind"), try $0.text("id")) })
                for (kind, ids) in Self.idsByKind(Array(open.subtracting(records))) {
                    try await sql.execute(
                        "UPDATE syncScope SET toEpoch = ? WHERE deviceId = ? AND kind = ? AND id = ANY(?) AND toEpoch IS NULL",
                        [.int(epoch), .text(deviceId), .text(kind.rawValue), .texts(ids)])
                }
                for (kind, ids) in Self.idsByKind(Array(records.subtracting(open))) {
                    try await sql.execute(
                        """
                        INSERT INTO syncScope (deviceId, kind, id, fromEpoch, toEpoch)
                        SELECT ?, ?, i, ?, NULL FROM unnest(?::text[]) AS i
                        """, [.text(deviceId), .text(kind.rawValue), .int(epoch), .texts(ids)])
                }
                try await sql.execute(
                    """
                    INSERT INTO syncDeviceEpoch (deviceId, lastEpoch, minEpoch) VALUES (?, ?, 0)
                    ON CONFLICT (deviceId) DO UPDATE SET lastEpoch = excluded.lastEpoch
                    """, [.text(deviceId), .int(epoch)])
                return epoch
            }
        }
    }

    /// Forgets the device's snapshots before `epoch` (nothing to do when already pruned).
    public func pruneScopeSnapshots(device: UUID, before epoch: Int64) async throws {
        let pruned = try await syncRun("reading scope snapshots") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT minEpoch FROM syncDeviceEpoch WHERE deviceId = ?", [.uuid(device)])?
                    .int64("minEpoch")
            }
        }
        if let pruned, pruned >= epoch { return }
        try await syncRun("pruning scope snapshots") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "DELETE FROM syncScope WHERE deviceId = ? AND toEpoch IS NOT NULL AND toEpoch <= ?",
                    [.uuid(device), .int(epoch)])
                try await sql.execute(
                    "UPDATE syncDeviceEpoch SET minEpoch = GREATEST(minEpoch, ?) WHERE deviceId = ?",
                    [.int(epoch), .uuid(device)])
            }
        }
    }

    // MARK: - Scope and quotas

    /// Runs each distinct predicate as one query over `syncCustomer` (joined to `syncRecord`
    /// for child kinds), as SQLite's does.
    public func visibleRecords(_ predicates: [EntityKind: ScopePredicate]) async throws -> Set<RecordKey> {
        var byPredicate: [ScopePredicate: [EntityKind]] = [:]
        for (kind, predicate) in predicates {
            let simplified = predicate.simplified()
            if simplified != .none { byPredicate[simplified, default: []].append(kind) }
        }
        if byPredicate.isEmpty { return [] }
        let groups = byPredicate
        return try await syncRun("listing the records in scope") {
            try await self.unit(.read) { sql in
                var result: Set<RecordKey> = []
                for (predicate, kinds) in groups {
                    var values: [PostgresValue] = []
                    let condition = Self.sql(predicate, values: &values)
                    if kinds.contains(.customer) {
                        for row in try await sql.rows("SELECT c.id FROM syncCustomer c WHERE \(condition)", values) {
                            result.insert(RecordKey(.customer, try row.uuid("id")))
                        }
                    }
                    let children = kinds.filter { $0 != .customer }.map(\.rawValue)
                    if !children.isEmpty {
                        let rows = try await sql.rows(
                            """
                            SELECT r.kind, r.id FROM syncCustomer c
                            JOIN syncRecord r ON r.customerId = c.id AND NOT r.deleted
                            WHERE r.kind = ANY(?) AND (\(condition))
                            """, [.texts(children)] + values)
                        for row in rows { result.insert(try Self.key(try row.text("kind"), try row.text("id"))) }
                    }
                }
                return result
            }
        }
    }

    /// Every live record of `kinds`.
    public func liveRecords(of kinds: Set<EntityKind>) async throws -> [StoredRecord] {
        if kinds.isEmpty { return [] }
        let names = kinds.map(\.rawValue).sorted()
        return try await syncRun("listing records") {
            try await self.unit(.read) { sql in
                try await sql.rows(
                    "SELECT * FROM syncRecord WHERE NOT deleted AND kind = ANY(?) ORDER BY kind, id", [.texts(names)]
                ).map(Self.storedRecord)
            }
        }
    }

    /// The facts of a live customer.
    public func customerFacts(_ customerId: UUID) async throws -> CustomerAccessFacts? {
        try await customerFacts([customerId])[customerId]
    }

    /// The facts of every live customer among `customerIds`, in one unit.
    public func customerFacts(_ customerIds: [UUID]) async throws -> [UUID: CustomerAccessFacts] {
        if customerIds.isEmpty { return [:] }
        let ids = customerIds.map(\.uuidString)
        return try await syncRun("reading customer facts") {
            try await self.unit(.read) { sql in
                var tags: [String: Set<String>] = [:]
                for row in try await sql.rows(
                    "SELECT customerId, tag FROM syncCustomerTag WHERE customerId = ANY(?)", [.texts(ids)])
                {
                    tags[try row.text("customerId"), default: []].insert(try row.text("tag"))
                }
                var assignees: [String: [UUID]] = [:]
                for row in try await sql.rows(
                    """
                    SELECT DISTINCT customerId, assigneeId FROM syncOpenComplaint WHERE customerId = ANY(?)
                    ORDER BY assigneeId
                    """, [.texts(ids)])
                {
                    assignees[try row.text("customerId"), default: []].append(try row.uuid("assigneeId"))
                }
                var result: [UUID: CustomerAccessFacts] = [:]
                for row in try await sql.rows("SELECT * FROM syncCustomer WHERE id = ANY(?)", [.texts(ids)]) {
                    let text = try row.text("id")
                    let id = try SQLiteServerStorage.uuid(text)
                    let team = try row.optionalText("teamId")
                    result[id] = CustomerAccessFacts(
                        id: id, ownerId: try row.uuid("ownerId"),
                        teamId: try team.flatMap { $0.isEmpty ? nil : try SQLiteServerStorage.uuid($0) },
                        tier: try row.optionalText("tier").flatMap(ValueTier.init(rawValue:)),
                        accountManagerId: try row.optionalUUID("accountManagerId"), tags: tags[text] ?? [],
                        openComplaintAssignees: assignees[text] ?? [])
                }
                return result
            }
        }
    }

    /// The customer of each record (customers map to themselves).
    public func customerIds(of keys: [RecordKey]) async throws -> [RecordKey: UUID] {
        var result: [RecordKey: UUID] = [:]
        var children: [RecordKey] = []
        for key in keys {
            if key.kind == .customer { result[key] = key.id } else { children.append(key) }
        }
        if children.isEmpty { return result }
        let byKind = Self.idsByKind(children)
        let found = try await syncRun("reading record owners") {
            try await self.unit(.read) { sql in
                var found: [RecordKey: UUID] = [:]
                for (kind, ids) in byKind {
                    for row in try await sql.rows(
                        "SELECT id, customerId FROM syncRecord WHERE kind = ? AND id = ANY(?)",
                        [.text(kind.rawValue), .texts(ids)])
                    {
                        guard let customer = try row.optionalText("customerId").flatMap(SQLiteServerStorage.parseUUID),
                            let id = SQLiteServerStorage.parseUUID(try row.text("id"))
                        else { continue }
                        found[RecordKey(kind, id)] = customer
                    }
                }
                return found
            }
        }
        result.merge(found) { old, _ in old }
        return result
    }

    /// The organisation version (raised by triggers).
    public func organisationVersion() async throws -> Int64 {
        try await syncRun("reading the organisation version") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT value FROM syncState WHERE key = 'organisationVersion'")?.int64("value") ?? 0
            }
        }
    }

    /// Of `customers`, those counted for the person on `day`.
    public func quotaCustomers(staffId: UUID, day: Int, among customers: [UUID]) async throws -> Set<UUID> {
        if customers.isEmpty { return [] }
        let ids = Array(Set(customers.map(\.uuidString)))
        return try await syncRun("reading the quota count") {
            try await self.unit(.read) { sql in
                Set(
                    try await sql.rows(
                        "SELECT customerId FROM syncQuotaCustomer WHERE staffId = ? AND day = ? AND customerId = ANY(?)",
                        [.uuid(staffId), .int(day), .texts(ids)]
                    ).map { try $0.uuid("customerId") })
            }
        }
    }

    /// How many customers were counted for the person on `day`.
    public func quotaCustomerCount(staffId: UUID, day: Int) async throws -> Int {
        try await syncRun("reading the quota count") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT COUNT(*) AS n FROM syncQuotaCustomer WHERE staffId = ? AND day = ?",
                    [.uuid(staffId), .int(day)])?.int("n") ?? 0
            }
        }
    }

    /// Inserts the missing (staff, day, customer) rows and drops the person's older days.
    public func addQuotaCustomers(_ customers: [UUID], staffId: UUID, day: Int) async throws {
        try await syncRun("counting against the quota") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "DELETE FROM syncQuotaCustomer WHERE staffId = ? AND day < ?", [.uuid(staffId), .int(day - 1)])
                if customers.isEmpty { return }
                try await sql.execute(
                    """
                    INSERT INTO syncQuotaCustomer (staffId, day, customerId)
                    SELECT ?, ?, c FROM unnest(?::text[]) AS c ON CONFLICT DO NOTHING
                    """, [.uuid(staffId), .int(day), .texts(customers.map(\.uuidString))])
            }
        }
    }

    /// Translates a scope predicate into a condition over `syncCustomer c` (as
    /// ``SQLiteServerStorage/sql(_:arguments:)`` does; lists bind as one text array).
    static func sql(_ predicate: ScopePredicate, values: inout [PostgresValue]) -> String {
        func list(_ column: String, _ items: [String]) -> String {
            if items.isEmpty { return "FALSE" }
            values.append(.texts(items))
            return "\(column) = ANY(?)"
        }
        switch predicate {
        case .all: return "TRUE"
        case .none: return "FALSE"
        case .ownerIn(let ids): return list("c.ownerId", ids.map(\.uuidString))
        case .teamIn(let ids): return list("c.teamId", ids.map(\.uuidString))
        case .customerIdIn(let ids): return list("c.id", ids.map(\.uuidString))
        case .keyAnchorIn(let ids): return list("c.keyAnchor", ids.map(\.uuidString))
        case .tierIn(let tiers): return list("c.tier", tiers.map(\.rawValue))
        case .hasTag(let tag):
            values.append(.text(tag))
            return "EXISTS (SELECT 1 FROM syncCustomerTag t WHERE t.customerId = c.id AND t.tag = ?)"
        case .openComplaintAssignedTo(let staffId):
            values.append(.uuid(staffId))
            return "EXISTS (SELECT 1 FROM syncOpenComplaint o WHERE o.customerId = c.id AND o.assigneeId = ?)"
        case .and(let parts):
            if parts.isEmpty { return "TRUE" }
            return "(" + parts.map { sql($0, values: &values) }.joined(separator: " AND ") + ")"
        case .or(let parts):
            if parts.isEmpty { return "FALSE" }
            return "(" + parts.map { sql($0, values: &values) }.joined(separator: " OR ") + ")"
        case .not(let part):
            return "NOT (" + sql(part, values: &values) + ")"
        }
    }

    // MARK: - Helpers

    static func idsByKind(_ keys: [RecordKey]) -> [EntityKind: [String]] {
        var ids: [EntityKind: [String]] = [:]
        for key in Set(keys) { ids[key.kind, default: []].append(key.id.uuidString) }
        return ids
    }

    static func lastSequence(_ sql: PostgresSQL) async throws -> Int64 {
        try await sql.one("SELECT value FROM syncState WHERE key = 'lastSequence'")?.int64("value") ?? 0
    }

    static func key(_ kind: String, _ id: String) throws -> RecordKey { try SQLiteServerStorage.key(kind, id) }

    static func storedRecord(_ row: PGRow) throws -> StoredRecord {
        guard case .object(let fields) = try JSONValue(parsing: Data(try row.text("fields").utf8)) else {
            throw ServerError(.storage, "the database holds a malformed record; restore from a backup")
        }
        return StoredRecord(
            key: try key(try row.text("kind"), try row.text("id")), version: try row.int64("version"),
            deleted: try row.bool("deleted"), deletedAtMillis: try row.optionalInt64("deletedAtMillis"), fields: fields,
            fieldStates: try SQLiteServerStorage.fieldStates(try row.text("fieldStates")),
            sequence: try row.int64("sequence"))
    }

    static func save(_ record: StoredRecord, _ sql: PostgresSQL) async throws {
        let fields = String(decoding: try JSONValue.object(record.fields).jsonData(), as: UTF8.self)
        let customerId =
            record.key.kind == .customer ? nil : record.fields["customerId"]?.stringValue.flatMap(UUID.init)?.uuidString
        try await sql.execute(
            """
            INSERT INTO syncRecord (kind, id, version, deleted, deletedAtMillis, sequence, customerId, fields, fieldStates)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, id) DO UPDATE SET version = excluded.version, deleted = excluded.deleted,
                deletedAtMillis = excluded.deletedAtMillis, sequence = excluded.sequence,
                customerId = excluded.customerId, fields = excluded.fields, fieldStates = excluded.fieldStates
            """,
            [
                .text(record.key.kind.rawValue), .uuid(record.key.id), .int(record.version), .bool(record.deleted),
                .int(record.deletedAtMillis), .int(record.sequence), .text(customerId), .text(fields),
                .text(try SQLiteServerStorage.encodeFieldStates(record.fieldStates)),
            ])
    }

    /// Keeps the access facts of customers (and open complaints) in step with the record.
    static func saveFacts(of record: StoredRecord, _ sql: PostgresSQL) async throws {
        let id = record.key.id.uuidString
        func uuidField(_ path: String) -> String? {
            record.fields[path]?.stringValue.flatMap(UUID.init(uuidString:))?.uuidString
        }
        switch record.key.kind {
        case .customer:
            try await sql.execute("DELETE FROM syncCustomerTag WHERE customerId = ?", [.text(id)])
            guard !record.deleted, let owner = uuidField("ownerId") else {
                try await sql.execute("DELETE FROM syncCustomer WHERE id = ?", [.text(id)])
                return
            }
            let tier = record.fields["tierOverride"]?.stringValue ?? record.fields["tier"]?.stringValue
            let manager = uuidField("accountManagerId")
            try await sql.execute(
                """
                INSERT INTO syncCustomer (id, ownerId, teamId, tier, accountManagerId, keyAnchor) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET ownerId = excluded.ownerId, teamId = excluded.teamId, tier = excluded.tier,
                    accountManagerId = excluded.accountManagerId, keyAnchor = excluded.keyAnchor
                """,
                [
                    .text(id), .text(owner), .text(uuidField("teamId") ?? ""), .text(tier ?? ""), .text(manager),
                    .text(manager ?? owner),
                ])
            let tags = (record.fields["tags"]?.arrayValue ?? []).compactMap(\.stringValue)
            if !tags.isEmpty {
                try await sql.execute(
                    """
                    INSERT INTO syncCustomerTag (customerId, tag) SELECT ?, t FROM unnest(?::text[]) AS t
                    ON CONFLICT DO NOTHING
                    """, [.text(id), .texts(tags)])
            }
        case .complaint:
            let open = !record.deleted && record.fields["stage"]?.stringValue != "closed"
            if open, let customer = uuidField("customerId"), let assignee = uuidField("assigneeId") {
                try await sql.execute(
                    """
                    INSERT INTO syncOpenComplaint (complaintId, customerId, assigneeId) VALUES (?, ?, ?)
                    ON CONFLICT (complaintId) DO UPDATE SET customerId = excluded.customerId, assigneeId = excluded.assigneeId
                    """, [.text(id), .text(customer), .text(assignee)])
            } else {
                try await sql.execute("DELETE FROM syncOpenComplaint WHERE complaintId = ?", [.text(id)])
            }
        default:
            break
        }
    }

    static func outcome(_ row: PGRow) throws -> StoredMutationOutcome {
        guard let status = MutationStatus(rawValue: try row.text("status")) else {
            throw ServerError(.storage, "the database holds an unknown mutation status; upgrade the server")
        }
        return StoredMutationOutcome(
            clientMutationId: try row.uuid("mutationId"),
            principal: SyncPrincipal(staffId: try row.uuid("staffId"), deviceId: try row.uuid("deviceId")),
            key: try key(try row.text("kind"), try row.text("recordId")), status: status,
            version: try row.optionalInt64("version"),
            conflicts: try row.optionalText("conflicts").map { try SQLiteServerStorage.decode([FieldConflict].self, $0) },
            rejection: try row.optionalText("rejection").map { try SQLiteServerStorage.decode(Rejection.self, $0) },
            recordedAtMillis: try row.int64("recordedAtMillis"))
    }

    static func save(_ outcome: StoredMutationOutcome, _ sql: PostgresSQL) async throws {
        try await sql.execute(
            """
            INSERT INTO syncOutcome
                (mutationId, staffId, deviceId, kind, recordId, status, version, conflicts, rejection, recordedAtMillis)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .uuid(outcome.clientMutationId), .uuid(outcome.principal.staffId), .uuid(outcome.principal.deviceId),
                .text(outcome.key.kind.rawValue), .uuid(outcome.key.id), .text(outcome.status.rawValue),
                .int(outcome.version), .text(try outcome.conflicts.map(SQLiteServerStorage.encode)),
                .text(try outcome.rejection.map(SQLiteServerStorage.encode)), .int(outcome.recordedAtMillis),
            ])
    }
}
