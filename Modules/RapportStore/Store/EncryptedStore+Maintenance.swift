import Foundation
import GRDB

extension EncryptedStore {
    /// Runs SQLite's `integrity_check` (every page is read, so every page is authenticated).
    ///
    /// - Returns: SQLite's findings; `["ok"]` when the store is sound.
    public func checkIntegrity() async throws -> [String] {
        try await read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// Records with local changes that have no outbox entry, and outbox entries whose record
    /// is missing (deletes excepted). Both lists are empty in a consistent store.
    public func outboxInconsistencies() async throws -> (recordsWithoutEntry: [UUID], entriesWithoutRecord: [UUID]) {
        try await read { db in
            let orphans = try UUID.fetchAll(
                db,
                sql: """
                    SELECT outbox.recordId FROM outbox LEFT JOIN record ON record.id = outbox.recordId
                    WHERE record.id IS NULL AND outbox.operation != 'delete'
                    """)
            let unrecorded = try UUID.fetchAll(
                db,
                sql: """
                    SELECT record.id FROM record
                    LEFT JOIN server_shadow ON server_shadow.id = record.id
                    LEFT JOIN outbox ON outbox.recordId = record.id
                    WHERE outbox.seq IS NULL AND record.inSync = 0
                      AND (server_shadow.id IS NULL OR server_shadow.document != record.document OR record.deleted)
                    """)
            return (unrecorded, orphans)
        }
    }
}
