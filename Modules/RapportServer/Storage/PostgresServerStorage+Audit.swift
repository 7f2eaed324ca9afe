import Foundation
import RapportAccess

/// The audit log, anomaly alerts and daily activity on PostgreSQL (the tables of
/// ``SQLiteServerStorage``'s, same semantics). The audit chain's head is whatever the writing
/// unit reads: write units are serialised by the writer lock, so every instance appends after
/// the last committed entry and the chain stays linear.
extension PostgresServerStorage {
    // MARK: - Audit

    /// Inserts an entry.
    public func appendAuditEntry(_ entry: AuditEntry) async throws {
        let recordIds = try SQLiteServerStorage.encode(entry.event.recordIds)
        let fields = try SQLiteServerStorage.encode(entry.event.fields)
        try await run("appending to the audit log") {
            try await self.unit(.write) { sql in
                let event = entry.event
                try await sql.execute(
                    """
                    INSERT INTO auditEntry (sequence, timeMs, actorId, deviceId, action, recordIds, fields,
                        allowed, reason, previousHash, hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .int(Int64(entry.sequence)), .int(entry.timestampMilliseconds), .uuid(event.actorId),
                        .uuid(event.deviceId), .text(event.action.rawValue), .text(recordIds), .text(fields),
                        .bool(event.allowed), .text(event.reason), .bytes(Data(entry.previousHash)),
                        .bytes(Data(entry.hash)),
                    ])
            }
        }
    }

    /// The newest entry.
    public func lastAuditEntry() async throws -> AuditEntry? {
        try await run("reading the audit log") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM auditEntry ORDER BY sequence DESC LIMIT 1").map(Self.auditEntry)
            }
        }
    }

    /// Matching entries, newest first.
    public func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var values: [PostgresValue] = []
        if let staffId = query.staffId {
            conditions.append("(actorId = ? OR strpos(recordIds, ?) > 0)")
            values += [.uuid(staffId), .text(try SQLiteServerStorage.encode(staffId))]
        }
        if let recordId = query.recordId {
            conditions.append("strpos(recordIds, ?) > 0")
            values.append(.text(try SQLiteServerStorage.encode(recordId)))
        }
        if let action = query.action {
            conditions.append("action = ?")
            values.append(.text(action.rawValue))
        }
        if let from = query.from {
            conditions.append("timeMs >= ?")
            values.append(.int(AuditQuery.millis(from)))
        }
        if let to = query.to {
            conditions.append("timeMs < ?")
            values.append(.int(AuditQuery.millis(to)))
        }
        if let before = query.before {
            conditions.append("sequence < ?")
            values.append(.int(Int64(clamping: before)))
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statement = "SELECT * FROM auditEntry \(filter) ORDER BY sequence DESC LIMIT \(query.limit)"
        let bound = values
        return try await run("querying the audit log") {
            try await self.unit(.read) { sql in try await sql.rows(statement, bound).map(Self.auditEntry) }
        }
    }

    /// Entries after `sequence`, oldest first.
    public func auditEntries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        try await run("reading the audit log") {
            try await self.unit(.read) { sql in
                try await sql.rows(
                    "SELECT * FROM auditEntry WHERE sequence > ? ORDER BY sequence LIMIT ?",
                    [.int(Int64(clamping: sequence)), .int(limit)]
                ).map(Self.auditEntry)
            }
        }
    }

    /// The hashes of the entries among `sequences`.
    public func auditEntryHashes(sequences: [UInt64]) async throws -> [UInt64: [UInt8]] {
        let list = sequences.map { String(Int64(clamping: $0)) }
        return try await run("reading the audit log") {
            try await self.unit(.read) { sql in
                var hashes: [UInt64: [UInt8]] = [:]
                for row in try await sql.rows(
                    "SELECT sequence, hash FROM auditEntry WHERE sequence::text = ANY(?)", [.texts(list)])
                {
                    hashes[UInt64(try row.int64("sequence"))] = try row.bytes("hash")
                }
                return hashes
            }
        }
    }

    /// Stores a checkpoint.
    public func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws {
        try await run("storing an audit checkpoint") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO auditCheckpoint (sequence, entryHash, timeMs, mac) VALUES (?, ?, ?, ?)
                    ON CONFLICT (sequence) DO UPDATE SET entryHash = excluded.entryHash, timeMs = excluded.timeMs,
                        mac = excluded.mac
                    """,
                    [
                        .int(Int64(checkpoint.sequence)), .bytes(Data(checkpoint.entryHash)),
                        .int(checkpoint.timestampMilliseconds), .bytes(Data(checkpoint.mac)),
                    ])
            }
        }
    }

    /// Every checkpoint, oldest first.
    public func auditCheckpoints() async throws -> [AuditCheckpoint] {
        try await run("reading audit checkpoints") {
            try await self.unit(.read) { sql in
                try await sql.rows("SELECT * FROM auditCheckpoint ORDER BY sequence").map { row in
                    AuditCheckpoint(
                        sequence: UInt64(try row.int64("sequence")), entryHash: try row.bytes("entryHash"),
                        timestampMilliseconds: try row.int64("timeMs"), mac: try row.bytes("mac"))
                }
            }
        }
    }

    static func auditEntry(_ row: PGRow) throws -> AuditEntry {
        let event = AuditEvent(
            actorId: try row.optionalUUID("actorId"), deviceId: try row.optionalUUID("deviceId"),
            action: AuditAction(rawValue: try row.text("action")),
            recordIds: try SQLiteServerStorage.decode([UUID].self, try row.text("recordIds")),
            fields: try SQLiteServerStorage.decode([String].self, try row.text("fields")), allowed: try row.bool("allowed"),
            reason: try row.text("reason"))
        return AuditEntry(
            sequence: UInt64(try row.int64("sequence")), timestampMilliseconds: try row.int64("timeMs"), event: event,
            previousHash: try row.bytes("previousHash"), hash: try row.bytes("hash"))
    }

    // MARK: - Alerts

    /// Inserts unless the dedupe key exists.
    public func insertAlert(_ alert: StoredAlert) async throws -> Bool {
        let body = try SQLiteServerStorage.encode(alert)
        return try await run("storing an alert") {
            try await self.unit(.write) { sql in
                try await !sql.rows(
                    """
                    INSERT INTO accessAlert (id, dedupeKey, staffId, status, raisedAt, body) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (dedupeKey) DO NOTHING RETURNING 1 AS added
                    """,
                    [
                        .uuid(alert.id), .text(alert.dedupeKey), .uuid(alert.alert.staffId), .text(alert.status),
                        .date(alert.raisedAt), .text(body),
                    ]
                ).isEmpty
            }
        }
    }

    /// Replaces an alert.
    public func updateAlert(_ alert: StoredAlert) async throws {
        let body = try SQLiteServerStorage.encode(alert)
        try await run("updating an alert") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "UPDATE accessAlert SET status = ?, body = ? WHERE id = ?",
                    [.text(alert.status), .text(body), .uuid(alert.id)])
            }
        }
    }

    /// The alert, or `nil`.
    public func alert(id: UUID) async throws -> StoredAlert? {
        try await run("reading an alert") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT body FROM accessAlert WHERE id = ?", [.uuid(id)]).map {
                    try SQLiteServerStorage.decode(StoredAlert.self, try $0.text("body"))
                }
            }
        }
    }

    /// Alerts, newest first.
    public func alerts(status: String?, staffId: UUID?, limit: Int) async throws -> [StoredAlert] {
        try await run("listing alerts") {
            try await self.unit(.read) { sql in
                try await sql.rows(
                    """
                    SELECT body FROM accessAlert WHERE (?::text IS NULL OR status = ?) AND (?::text IS NULL OR staffId = ?)
                    ORDER BY raisedAt DESC, id LIMIT ?
                    """,
                    [.text(status), .text(status), .uuid(staffId), .uuid(staffId), .int(limit)]
                ).map { try SQLiteServerStorage.decode(StoredAlert.self, try $0.text("body")) }
            }
        }
    }

    // MARK: - Activity

    /// Adds the delta and returns the retained days (see ``ActivityStorage``).
    public func recordActivity(_ delta: ActivityDelta, staffId: UUID, day: Int) async throws -> [DailyActivity] {
        let staff = staffId.uuidString
        return try await run("recording activity") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "INSERT INTO activityDay (staffId, day) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    [.text(staff), .int(day)])
                let customers = Set(delta.customers).map(\.uuidString)
                if !customers.isEmpty {
                    try await sql.execute(
                        """
                        INSERT INTO activityCustomer (staffId, day, customerId, outOfHours)
                        SELECT ?, ?, c, ? FROM unnest(?::text[]) AS c
                        ON CONFLICT (staffId, day, customerId) DO UPDATE
                            SET outOfHours = activityCustomer.outOfHours OR excluded.outOfHours
                        """, [.text(staff), .int(day), .bool(delta.outOfHours), .texts(customers)])
                }
                try await sql.execute(
                    """
                    UPDATE activityDay SET
                        distinctCustomers = (SELECT COUNT(*) FROM activityCustomer WHERE staffId = $1 AND day = $2),
                        outOfHoursCustomers = (SELECT COUNT(*) FROM activityCustomer
                                               WHERE staffId = $1 AND day = $2 AND outOfHours),
                        exports = exports + $3, refusals = refusals + $4
                    WHERE staffId = $1 AND day = $2
                    """, [.text(staff), .int(day), .int(delta.exports), .int(delta.refusals)])
                try await sql.execute(
                    "DELETE FROM activityCustomer WHERE staffId = ? AND day < ?", [.text(staff), .int(day - 1)])
                try await sql.execute(
                    "DELETE FROM activityDay WHERE staffId = ? AND day < ?",
                    [.text(staff), .int(day - ActivityHistory.retainedDays)])
                return try await Self.activityDays(sql, staffId: staff, through: day)
            }
        }
    }

    /// The retained days (see ``ActivityStorage``).
    public func activityDays(staffId: UUID, through day: Int) async throws -> [DailyActivity] {
        try await run("reading activity") {
            try await self.unit(.read) { sql in try await Self.activityDays(sql, staffId: staffId.uuidString, through: day) }
        }
    }

    private static func activityDays(_ sql: PostgresSQL, staffId: String, through day: Int) async throws
        -> [DailyActivity]
    {
        try await sql.rows(
            """
            SELECT day, distinctCustomers, outOfHoursCustomers, exports, refusals FROM activityDay
            WHERE staffId = ? AND day > ? AND day <= ? ORDER BY day
            """, [.text(staffId), .int(day - ActivityHistory.retainedDays - 1), .int(day)]
        ).map { row in
            DailyActivity(
                day: try row.int("day"), distinctCustomers: try row.int("distinctCustomers"),
                outOfHoursCustomers: try row.int("outOfHoursCustomers"), exports: try row.int("exports"),
                refusals: try row.int("refusals"))
        }
    }
}
