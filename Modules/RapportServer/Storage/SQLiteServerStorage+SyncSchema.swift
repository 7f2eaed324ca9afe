import GRDB

extension SQLiteServerStorage {
    /// Registers the sync tables (migration `v2-sync`) and the organisation-version triggers
    /// (migration `v3-organisation-version`) on `migrator`.
    ///
    /// | table | holds |
    /// | --- | --- |
    /// | `syncRecord` | every record's current state (live or tombstone): field map and per-field state as JSON, version, last sequence, `customerId` of child records |
    /// | `syncChange` | the change log; `sequence` is an `AUTOINCREMENT` key, so it only grows and is never reused, even after purges |
    /// | `syncOutcome` | the first outcome of every client mutation id (replays) |
    /// | `syncCustomer`, `syncCustomerTag`, `syncOpenComplaint` | the access facts of live customers (owner, team, effective tier, key anchor, tags, open complaint assignees), indexed so a scope predicate runs as one query |
    /// | `syncScope`, `syncDeviceEpoch` | per-device scope snapshots as intervals `(device, record, fromEpoch, toEpoch)` |
    /// | `syncState` | the history floor and the organisation version |
    /// | `syncQuotaCustomer` | the quota count: one row per staff, local day and customer reached (migration `v6-scale-out`, which replaced the whole-ledger `syncQuotaLedger`) |
    static func registerSyncMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-sync") { db in
            try db.execute(
                sql: """
                    CREATE TABLE syncRecord (
                        kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, deleted INTEGER NOT NULL,
                        deletedAtMillis INTEGER, sequence INTEGER NOT NULL, customerId TEXT,
                        fields TEXT NOT NULL, fieldStates TEXT NOT NULL,
                        PRIMARY KEY (kind, id)) WITHOUT ROWID;
                    CREATE INDEX syncRecord_customer ON syncRecord(customerId) WHERE deleted = 0;
                    CREATE INDEX syncRecord_tombstone ON syncRecord(deletedAtMillis) WHERE deleted = 1;
                    CREATE TABLE syncChange (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, id TEXT NOT NULL,
                        version INTEGER NOT NULL, paths TEXT NOT NULL, deleted INTEGER NOT NULL,
                        committedAtMillis INTEGER NOT NULL);
                    CREATE TABLE syncOutcome (
                        mutationId TEXT PRIMARY KEY, staffId TEXT NOT NULL, deviceId TEXT NOT NULL,
                        kind TEXT NOT NULL, recordId TEXT NOT NULL, status TEXT NOT NULL, version INTEGER,
                        conflicts TEXT, rejection TEXT, recordedAtMillis INTEGER NOT NULL);
                    CREATE INDEX syncOutcome_time ON syncOutcome(recordedAtMillis);
                    CREATE TABLE syncCustomer (
                        id TEXT PRIMARY KEY, ownerId TEXT NOT NULL, teamId TEXT, tier TEXT,
                        accountManagerId TEXT, keyAnchor TEXT NOT NULL);
                    CREATE INDEX syncCustomer_owner ON syncCustomer(ownerId);
                    CREATE INDEX syncCustomer_team ON syncCustomer(teamId);
                    CREATE INDEX syncCustomer_anchor ON syncCustomer(keyAnchor);
                    CREATE INDEX syncCustomer_tier ON syncCustomer(tier);
                    CREATE TABLE syncCustomerTag (
                        customerId TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (customerId, tag)) WITHOUT ROWID;
                    CREATE INDEX syncCustomerTag_tag ON syncCustomerTag(tag);
                    CREATE TABLE syncOpenComplaint (
                        complaintId TEXT PRIMARY KEY, customerId TEXT NOT NULL, assigneeId TEXT NOT NULL);
                    CREATE INDEX syncOpenComplaint_assignee ON syncOpenComplaint(assigneeId);
                    CREATE TABLE syncScope (
                        deviceId TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
                        fromEpoch INTEGER NOT NULL, toEpoch INTEGER,
                        PRIMARY KEY (deviceId, kind, id, fromEpoch)) WITHOUT ROWID;
                    CREATE INDEX syncScope_open ON syncScope(deviceId, toEpoch);
                    CREATE TABLE syncDeviceEpoch (
                        deviceId TEXT PRIMARY KEY, lastEpoch INTEGER NOT NULL, minEpoch INTEGER NOT NULL);
                    CREATE TABLE syncState (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                    INSERT INTO syncState (key, value) VALUES ('historyFloor', 0), ('organisationVersion', 0);
                    CREATE TABLE syncQuotaLedger (staffId TEXT PRIMARY KEY, body TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v3-organisation-version") { db in
            // Every write to what the access policy is built from bumps one counter, in the same
            // transaction, so PolicyService notices any change on the very next request,
            // whoever made it (identity service, admin API, a restore).
            let bump = "UPDATE syncState SET value = value + 1 WHERE key = 'organisationVersion';"
            var sql = ""
            for table in ["team", "staff", "role", "accessGrant"] {
                for event in ["INSERT", "UPDATE", "DELETE"] {
                    sql += "CREATE TRIGGER orgVersion_\(table)_\(event.lowercased()) AFTER \(event) ON \(table) BEGIN \(bump) END;\n"
                }
            }
            sql += "CREATE TRIGGER orgVersion_device_insert AFTER INSERT ON device BEGIN \(bump) END;\n"
            sql += "CREATE TRIGGER orgVersion_device_delete AFTER DELETE ON device BEGIN \(bump) END;\n"
            sql += "CREATE TRIGGER orgVersion_device_update AFTER UPDATE OF status, staffId ON device BEGIN \(bump) END;\n"
            try db.execute(sql: sql)
        }
        migrator.registerMigration("v4-device-trigger") { db in
            // A device's last-seen time and lease renewals are not organisation changes: only a
            // real change of status or owner rebuilds the access policy. (Devices are saved with
            // an upsert, so a sign-in on a known device no longer deletes and re-inserts the row.)
            try db.execute(
                sql: """
                    DROP TRIGGER orgVersion_device_update;
                    CREATE TRIGGER orgVersion_device_update AFTER UPDATE OF status, staffId ON device
                        WHEN OLD.status IS NOT NEW.status OR OLD.staffId IS NOT NEW.staffId
                        BEGIN UPDATE syncState SET value = value + 1 WHERE key = 'organisationVersion'; END;
                    """)
        }
    
        migrator.registerMigration("v6-scale-out") { db in
            // What several server instances must agree on lives here and changes inside the
            // writing transaction: the quota count per staff, day and customer (an upsert per
            // customer instead of rewriting a person's JSON ledger), and the policy version,
            // which now also moves when the access settings change.
            try db.execute(
                sql: """
                    CREATE TABLE syncQuotaCustomer (
                        staffId TEXT NOT NULL, day INTEGER NOT NULL, customerId TEXT NOT NULL,
                        PRIMARY KEY (staffId, day, customerId)) WITHOUT ROWID;
                    DROP TABLE syncQuotaLedger;
                    CREATE TRIGGER orgVersion_settings_insert AFTER INSERT ON setting WHEN NEW.key = 'accessSettings'
                        BEGIN UPDATE syncState SET value = value + 1 WHERE key = 'organisationVersion'; END;
                    CREATE TRIGGER orgVersion_settings_update AFTER UPDATE ON setting WHEN NEW.key = 'accessSettings'
                        BEGIN UPDATE syncState SET value = value + 1 WHERE key = 'organisationVersion'; END;
                    """)
        }
    }
}
