import Foundation
import GRDB
import RapportAccess

/// Anomaly alerts in the server database (table `accessAlert`, unique by dedupe key).
extension SQLiteServerStorage {
    /// Adds the alerts table (called from ``migrator``).
    static func registerAlertMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-alerts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE accessAlert (
                        id TEXT PRIMARY KEY, dedupeKey TEXT NOT NULL UNIQUE, staffId TEXT NOT NULL,
                        status TEXT NOT NULL, raisedAt DOUBLE NOT NULL, body TEXT NOT NULL);
                    CREATE INDEX accessAlert_status ON accessAlert(status, raisedAt);
                    CREATE INDEX accessAlert_staff ON accessAlert(staffId, raisedAt);
                    """)
        }
    }

    /// Inserts unless the dedupe key exists.
    public func insertAlert(_ alert: StoredAlert) async throws -> Bool {
        let body = try Self.encode(alert)
        return try await run("storing an alert") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT INTO accessAlert (id, dedupeKey, staffId, status, raisedAt, body) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT(dedupeKey) DO NOTHING
                        """,
                    arguments: [
                        alert.id.uuidString, alert.dedupeKey, alert.alert.staffId.uuidString, alert.status,
                        alert.raisedAt.timeIntervalSince1970, body,
                    ])
                return db.changesCount > 0
            }
        }
    }

    /// Replaces an alert.
    public func updateAlert(_ alert: StoredAlert) async throws {
        let body = try Self.encode(alert)
        try await run("updating an alert") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "UPDATE accessAlert SET status = ?, body = ? WHERE id = ?",
                    arguments: [alert.status, body, alert.id.uuidString])
            }
        }
    }

    /// The alert, or `nil`.
    public func alert(id: UUID) async throws -> StoredAlert? {
        try await run("reading an alert") {
            try await self.unit(.read) { db in
                try String.fetchOne(db, sql: "SELECT body FROM accessAlert WHERE id = ?", arguments: [id.uuidString])
                    .map { try Self.decode(StoredAlert.self, $0) }
            }
        }
    }

    /// Alerts, newest first.
    public func alerts(status: String?, staffId: UUID?, limit: Int) async throws -> [StoredAlert] {
        try await run("listing alerts") {
            try await self.unit(.read) { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT body FROM accessAlert WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR staffId = ?2)
                        ORDER BY raisedAt DESC, id LIMIT ?3
                        """, arguments: [status, staffId?.uuidString, limit]
                ).map { try Self.decode(StoredAlert.self, $0) }
            }
        }
    }
}
