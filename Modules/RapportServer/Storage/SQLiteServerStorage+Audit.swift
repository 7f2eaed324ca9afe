import Foundation
import GRDB
import RapportAccess

/// The audit log in the server database: `auditEntry` (one row per entry, updates and deletes
/// refused by triggers) and `auditCheckpoint` (keyed seals of the chain head).
///
/// Searches by staff or record read the entries' own hashed columns (`actorId`, `recordIds`),
/// so what search finds is what `verify` checks: the `auditRecord` index that once sat beside
/// the chain, where deleting rows hid entries from search unnoticed, is gone.
extension SQLiteServerStorage {
    /// Adds the audit tables (called from ``migrator``).
    static func registerAuditMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-audit") { db in
            try db.execute(
                sql: """
                    CREATE TABLE auditEntry (
                        sequence INTEGER PRIMARY KEY, timeMs INTEGER NOT NULL, actorId TEXT, deviceId TEXT,
                        action TEXT NOT NULL, recordIds TEXT NOT NULL, fields TEXT NOT NULL,
                        allowed INTEGER NOT NULL, reason TEXT NOT NULL,
                        previousHash BLOB NOT NULL, hash BLOB NOT NULL);
                    CREATE INDEX auditEntry_actor ON auditEntry(actorId, sequence);
                    CREATE INDEX auditEntry_action ON auditEntry(action, sequence);
                    CREATE INDEX auditEntry_time ON auditEntry(timeMs);
                    CREATE TABLE auditRecord (
                        recordId TEXT NOT NULL, sequence INTEGER NOT NULL, PRIMARY KEY (recordId, sequence)
                    ) WITHOUT ROWID;
                    CREATE TABLE auditCheckpoint (
                        sequence INTEGER PRIMARY KEY, entryHash BLOB NOT NULL, timeMs INTEGER NOT NULL, mac BLOB NOT NULL);
                    CREATE TRIGGER auditEntry_appendOnlyUpdate BEFORE UPDATE ON auditEntry
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    CREATE TRIGGER auditEntry_appendOnlyDelete BEFORE DELETE ON auditEntry
                        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                    """)
        }
        migrator.registerMigration("audit-search-reads-entries") { db in
            try db.execute(sql: "DROP TABLE IF EXISTS auditRecord")
        }
    }

    /// Inserts an entry.
    public func appendAuditEntry(_ entry: AuditEntry) async throws {
        let recordIds = try Self.encode(entry.event.recordIds)
        let fields = try Self.encode(entry.event.fields)
        try await run("appending to the audit log") {
            try await self.unit(.write) { db in
                let event = entry.event
                try db.execute(
                    sql: """
                        INSERT INTO auditEntry (sequence, timeMs, actorId, deviceId, action, recordIds, fields,
                            allowed, reason, previousHash, hash)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Int64(entry.sequence), entry.timestampMilliseconds, event.actorId?.uuidString,
                        event.deviceId?.uuidString, event.action.rawValue, recordIds, fields, event.allowed,
                        event.reason, Data(entry.previousHash), Data(entry.hash),
                    ])
            }
        }
    }

    /// The newest entry.
    public func lastAuditEntry() async throws -> AuditEntry? {
        try await run("reading the audit log") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM auditEntry ORDER BY sequence DESC LIMIT 1").map(
                    Self.auditEntry)
            }
        }
    }

    /// Matching entries, newest first.
    public func auditEntries(matching query: AuditQuery) async throws -> [AuditEntry] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let staffId = query.staffId {
            conditions.append("(actorId = ? OR instr(recordIds, ?) > 0)")
            _ = arguments.append(contentsOf: [staffId.uuidString, try Self.encode(staffId)])
        }
        if let recordId = query.recordId {
            conditions.append("instr(recordIds, ?) > 0")
            _ = arguments.append(contentsOf: [try Self.encode(recordId)])
        }
        if let action = query.action {
            conditions.append("action = ?")
            _ = arguments.append(contentsOf: [action.rawValue])
        }
        if let from = query.from {
            conditions.append("timeMs >= ?")
            _ = arguments.append(contentsOf: [AuditQuery.millis(from)])
        }
        if let to = query.to {
            conditions.append("timeMs < ?")
            _ = arguments.append(contentsOf: [AuditQuery.millis(to)])
        }
        if let before = query.before {
            conditions.append("sequence < ?")
            _ = arguments.append(contentsOf: [Int64(clamping: before)])
        }
        let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let sql = "SELECT * FROM auditEntry \(filter) ORDER BY sequence DESC LIMIT \(query.limit)"
        let bound = arguments
        return try await run("querying the audit log") {
            try await self.unit(.read) { db in
                try Row.fetchAll(db, sql: sql, arguments: bound).map(Self.auditEntry)
            }
        }
    }

    /// Entries after `sequence`, oldest first.
    public func auditEntries(after sequence: UInt64, limit: Int) async throws -> [AuditEntry] {
        try await run("reading the audit log") {
            try await self.unit(.read) { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM auditEntry WHERE sequence > ? ORDER BY sequence LIMIT ?",
                    arguments: [Int64(clamping: sequence), limit]
                ).map(Self.auditEntry)
            }
        }
    }

    /// The hashes of the entries among `sequences`.
    public func auditEntryHashes(sequences: [UInt64]) async throws -> [UInt64: [UInt8]] {
        try await run("reading the audit log") {
            try await self.unit(.read) { db in
                var hashes: [UInt64: [UInt8]] = [:]
                for chunk in stride(from: 0, to: sequences.count, by: 500) {
                    let part = sequences[chunk..<min(chunk + 500, sequences.count)].map { Int64(clamping: $0) }
                    let marks = Array(repeating: "?", count: part.count).joined(separator: ",")
                    for row in try Row.fetchAll(
                        db, sql: "SELECT sequence, hash FROM auditEntry WHERE sequence IN (\(marks))",
                        arguments: StatementArguments(part))
                    {
                        let hash: Data = row["hash"]
                        hashes[UInt64(row["sequence"] as Int64)] = Array(hash)
                    }
                }
                return hashes
            }
        }
    }

    /// Stores a checkpoint.
    public func saveAuditCheckpoint(_ checkpoint: AuditCheckpoint) async throws {
        try await run("storing an audit checkpoint") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO auditCheckpoint (sequence, entryHash, timeMs, mac) VALUES (?, ?, ?, ?)",
                    arguments: [
                        Int64(checkpoint.sequence), Data(checkpoint.entryHash), checkpoint.timestampMilliseconds,
                        Data(checkpoint.mac),
                    ])
            }
        }
    }

    /// Every checkpoint, oldest first.
    public func auditCheckpoints() async throws -> [AuditCheckpoint] {
        try await run("reading audit checkpoints") {
            try await self.unit(.read) { db in
                try Row.fetchAll(db, sql: "SELECT * FROM auditCheckpoint ORDER BY sequence").map { row in
                    let hash: Data = row["entryHash"]
                    let mac: Data = row["mac"]
                    return AuditCheckpoint(
                        sequence: UInt64(row["sequence"] as Int64), entryHash: Array(hash),
                        timestampMilliseconds: row["timeMs"], mac: Array(mac))
                }
            }
        }
    }

    static func auditEntry(_ row: Row) throws -> AuditEntry {
        guard let action = row["action"] as String? else {
            throw ServerError(.storage, "the audit log holds an entry without an action; verify the log")
        }
        let previous: Data = row["previousHash"]
        let hash: Data = row["hash"]
        let event = AuditEvent(
            actorId: try (row["actorId"] as String?).map(uuid), deviceId: try (row["deviceId"] as String?).map(uuid),
            action: AuditAction(rawValue: action), recordIds: try decode([UUID].self, row["recordIds"]),
            fields: try decode([String].self, row["fields"]), allowed: row["allowed"], reason: row["reason"])
        return AuditEntry(
            sequence: UInt64(row["sequence"] as Int64), timestampMilliseconds: row["timeMs"], event: event,
            previousHash: Array(previous), hash: Array(hash))
    }
}
