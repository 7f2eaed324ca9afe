import Foundation
import GRDB
import RapportAccess

/// Each person's daily activity in the server database: `activityDay` holds the counts the
/// anomaly detector reads, `activityCustomer` the customers already counted on the current day
/// (so a customer delivered twice, or before and after a restart, counts once).
extension SQLiteServerStorage {
    /// Adds the activity tables (called from ``migrator``).
    static func registerActivityMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-anomaly-activity") { db in
            try db.execute(
                sql: """
                    CREATE TABLE activityDay (
                        staffId TEXT NOT NULL, day INTEGER NOT NULL,
                        distinctCustomers INTEGER NOT NULL DEFAULT 0, outOfHoursCustomers INTEGER NOT NULL DEFAULT 0,
                        exports INTEGER NOT NULL DEFAULT 0, refusals INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (staffId, day));
                    CREATE TABLE activityCustomer (
                        staffId TEXT NOT NULL, day INTEGER NOT NULL, customerId TEXT NOT NULL,
                        outOfHours INTEGER NOT NULL, PRIMARY KEY (staffId, day, customerId));
                    """)
        }
    }

    /// Adds the delta and returns the retained days (see ``ActivityStorage``).
    public func recordActivity(_ delta: ActivityDelta, staffId: UUID, day: Int) async throws -> [DailyActivity] {
        let staff = staffId.uuidString
        return try await run("recording activity") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT INTO activityDay (staffId, day) VALUES (?, ?) ON CONFLICT DO NOTHING",
                    arguments: [staff, day])
                if !delta.customers.isEmpty {
                    let insert = try db.cachedStatement(
                        sql: """
                            INSERT INTO activityCustomer (staffId, day, customerId, outOfHours) VALUES (?, ?, ?, ?)
                            ON CONFLICT DO UPDATE SET outOfHours = MAX(outOfHours, excluded.outOfHours)
                            """)
                    for customer in Set(delta.customers) {
                        try insert.execute(arguments: [staff, day, customer.uuidString, delta.outOfHours ? 1 : 0])
                    }
                }
                try db.execute(
                    sql: """
                        UPDATE activityDay SET
                            distinctCustomers = (SELECT COUNT(*) FROM activityCustomer WHERE staffId = ?1 AND day = ?2),
                            outOfHoursCustomers = (SELECT COUNT(*) FROM activityCustomer
                                                   WHERE staffId = ?1 AND day = ?2 AND outOfHours = 1),
                            exports = exports + ?3, refusals = refusals + ?4
                        WHERE staffId = ?1 AND day = ?2
                        """,
                    arguments: [staff, day, delta.exports, delta.refusals])
                // Only the current day's customers are needed to count each once; the day counts
                // are kept for the baseline window.
                try db.execute(
                    sql: "DELETE FROM activityCustomer WHERE staffId = ? AND day < ?", arguments: [staff, day - 1])
                try db.execute(
                    sql: "DELETE FROM activityDay WHERE staffId = ? AND day < ?",
                    arguments: [staff, day - ActivityHistory.retainedDays])
                return try Self.activityDays(db, staffId: staff, through: day)
            }
        }
    }

    /// The retained days (see ``ActivityStorage``).
    public func activityDays(staffId: UUID, through day: Int) async throws -> [DailyActivity] {
        try await run("reading activity") {
            try await self.unit(.read) { db in try Self.activityDays(db, staffId: staffId.uuidString, through: day) }
        }
    }

    private static func activityDays(_ db: Database, staffId: String, through day: Int) throws -> [DailyActivity] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT day, distinctCustomers, outOfHoursCustomers, exports, refusals FROM activityDay
                WHERE staffId = ? AND day > ? AND day <= ? ORDER BY day
                """,
            arguments: [staffId, day - ActivityHistory.retainedDays - 1, day]
        ).map { row in
            DailyActivity(
                day: row["day"], distinctCustomers: row["distinctCustomers"],
                outOfHoursCustomers: row["outOfHoursCustomers"],
                exports: row["exports"], refusals: row["refusals"])
        }
    }
}
