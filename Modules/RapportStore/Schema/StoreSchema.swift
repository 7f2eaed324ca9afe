import GRDB

/// The store's tables, created by a `DatabaseMigrator`.
///
/// Records are kept as JSON documents plus a few extracted, indexed columns, so a change to
/// an entity's fields needs no migration here. Server shadow state and the outbox are kept
/// apart from the local records, copy-on-write: a record whose local state equals the server
/// state has no `server_shadow` row (see `Docs/Store.md`).
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: RecordRow.databaseTableName) { t in
                t.primaryKey("seq", .integer)
                t.column("id", .blob).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("ownerId", .blob)
                t.column("teamId", .blob)
                t.column("customerId", .blob)
                t.column("tier", .text)
                t.column("name", .text).collate(.nocase)
                t.column("updatedAt", .integer).notNull()
                t.column("deleted", .boolean).notNull().defaults(to: false)
                t.column("version", .integer).notNull().defaults(to: 0)
                t.column("document", .text).notNull()
            }
            try db.create(index: "record_owner", on: RecordRow.databaseTableName, columns: ["kind", "ownerId", "name"])
            try db.create(index: "record_tier", on: RecordRow.databaseTableName, columns: ["kind", "tier", "name"])
            try db.create(index: "record_name", on: RecordRow.databaseTableName, columns: ["kind", "name"])
            try db.create(index: "record_updated", on: RecordRow.databaseTableName, columns: ["kind", "updatedAt"])
            try db.create(index: "record_customer", on: RecordRow.databaseTableName, columns: ["customerId"])
            try db.execute(
                sql: """
                    CREATE VIRTUAL TABLE record_fts USING fts5(
                        name, body, tokenize = 'unicode61 remove_diacritics 2')
                    """)
            try db.create(table: ShadowRow.databaseTableName, options: [.withoutRowID]) { t in
                t.primaryKey("id", .blob)
                t.column("kind", .text).notNull()
                t.column("version", .integer).notNull()
                t.column("document", .text).notNull()
            }
            try db.create(table: OutboxRow.databaseTableName) { t in
                t.autoIncrementedPrimaryKey("seq")
                t.column("mutationId", .blob).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("recordId", .blob).notNull()
                t.column("operation", .text).notNull()
                t.column("baseVersion", .integer).notNull()
                t.column("fields", .text).notNull()
                t.column("fieldClocks", .text).notNull()
                t.column("clock", .text).notNull()
                t.column("state", .text).notNull()
                t.column("createdAt", .integer).notNull()
            }
            try db.create(index: "outbox_record", on: OutboxRow.databaseTableName, columns: ["recordId", "state"])
        }
        migrator.registerMigration("v2") { db in
            // Copy-on-write server shadow: while a record's local state is the server state
            // (`inSync`), the record row is the shadow and `server_shadow` holds no row for it.
            try db.alter(table: RecordRow.databaseTableName) { t in
                t.add(column: "inSync", .boolean).notNull().defaults(to: false)
            }
            try db.execute(
                sql: """
                    UPDATE record SET inSync = 1
                    WHERE deleted = 0
                      AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.recordId = record.id)
                      AND EXISTS (
                        SELECT 1 FROM server_shadow s
                        WHERE s.id = record.id AND s.kind = record.kind AND s.version = record.version
                          AND s.document = record.document)
                    """)
            try db.execute(sql: "DELETE FROM server_shadow WHERE id IN (SELECT id FROM record WHERE inSync = 1)")
            // Customers (most records) have no customerId: index only the records that do.
            // `customerId = ?` implies `IS NOT NULL`, so SQLite still uses it for those queries.
            try db.drop(index: "record_customer")
            try db.create(
                index: "record_customer", on: RecordRow.databaseTableName, columns: ["customerId"],
                condition: Column("customerId") != nil)
        }
        migrator.registerMigration("v3") { db in
            // Each outbox entry keeps the base of its edits; the sync cursor and refused
            // mutations live inside the encrypted store.
            try db.alter(table: OutboxRow.databaseTableName) { t in
                t.add(column: "baseFields", .text).notNull().defaults(to: "{}")
            }
            try LegacyOutboxMigration.moveBases(in: db)
            try db.create(table: SyncStateRow.databaseTableName, options: [.withoutRowID]) { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
            try db.create(table: RejectedMutationRow.databaseTableName, options: [.withoutRowID]) { t in
                t.primaryKey("mutationId", .blob)
                t.column("kind", .text).notNull()
                t.column("recordId", .blob).notNull()
                t.column("operation", .text).notNull()
                t.column("fields", .text).notNull()
                t.column("reasonCode", .text).notNull()
                t.column("message", .text).notNull()
                t.column("field", .text)
                t.column("serverDocument", .text)
                t.column("rejectedAt", .integer).notNull()
            }
        }
        return migrator
    }
}
