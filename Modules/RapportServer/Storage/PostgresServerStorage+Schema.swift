import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL schema: the same tables and semantics as SQLite's migrations, as one ordered
/// list of versions recorded in `rapport_schema_version`.
extension PostgresServerStorage {
    /// One schema version: its number, name and statements.
    struct Migration: Sendable {
        let version: Int
        let name: String
        let sql: String
    }

    /// The schema versions this server knows, oldest first.
    static let migrations: [Migration] = [
        Migration(version: 1, name: "v1-everything", sql: schemaV1)
    ]

    /// Checks the server version and the database, then applies the missing migrations in one
    /// transaction holding ``migrationLockKey`` (instances starting together migrate once).
    func migrate() async throws(ServerError) {
        try await run("applying the schema") {
            try await self.withConnection { connection in
                let sql = PostgresSQL(connection: connection, logger: self.logger)
                let version = try await sql.one("SELECT current_setting('server_version_num')::bigint AS v")?.int("v") ?? 0
                guard version >= Self.minimumServerVersion else {
                    throw ServerError(
                        .storage,
                        "the PostgreSQL server at \(self.endpoint) is version \(version / 10_000); Rapport needs 13 or later — upgrade PostgreSQL")
                }
                try await sql.execute("BEGIN")
                do {
                    try await sql.execute("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
                    try await self.applyMigrations(sql)
                    try await sql.execute("COMMIT")
                } catch {
                    try? await sql.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }

    private func applyMigrations(_ sql: PostgresSQL) async throws {
        let hasVersions =
            try await sql.one("SELECT to_regclass('rapport_schema_version') IS NOT NULL AS present")?.bool("present")
            ?? false
        if !hasVersions {
            let tables =
                try await sql.one(
                    "SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()")?.int("n") ?? 0
            guard tables == 0 else {
                throw ServerError(
                    .storage,
                    "the database \(endpoint) holds \(tables) tables but no Rapport schema (no rapport_schema_version): it is not a Rapport database — point --database at an empty database or a Rapport one")
            }
            try await sql.execute(
                "CREATE TABLE rapport_schema_version (version BIGINT PRIMARY KEY, name TEXT NOT NULL, appliedAt DOUBLE PRECISION NOT NULL)"
            )
        }
        let applied = Set(try await sql.rows("SELECT version FROM rapport_schema_version").map { try $0.int("version") })
        let known = Set(Self.migrations.map(\.version))
        if let newer = applied.subtracting(known).max() {
            throw ServerError(
                .storage,
                "the database \(endpoint) has schema version \(newer), written by a newer Rapport server; run that server version (or newer), never an older one")
        }
        for migration in Self.migrations where !applied.contains(migration.version) {
            // The extended protocol runs one statement per query: split at `;` + newline (function
            // bodies keep their inner `;` on one line).
            for statement in (migration.sql + "\n").components(separatedBy: ";\n")
            where !statement.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                try await sql.execute(statement)
            }
            try await sql.execute(
                "INSERT INTO rapport_schema_version (version, name, appliedAt) VALUES (?, ?, ?)",
                [.int(migration.version), .text(migration.name), .date(Date())])
            logger.notice("applied PostgreSQL schema version", metadata: ["version": "\(migration.version)"])
        }
    }

    /// Everything SQLite's migrations v1 … v6 build, in PostgreSQL's dialect: ids as text,
    /// times as seconds (`DOUBLE PRECISION`), flags as `BOOLEAN`, login names unique
    /// case-insensitively (an index on `lower(loginName)`), the organisation version raised by
    /// triggers, the audit log append-only by trigger, and the change log's sequence taken
    /// from the `lastSequence` counter inside the writing transaction (Protocol.md §11).
    static let schemaV1 = """
        CREATE TABLE team (id TEXT PRIMARY KEY, name TEXT NOT NULL, parentId TEXT);
        CREATE TABLE staff (
            id TEXT PRIMARY KEY, name TEXT NOT NULL, teamId TEXT NOT NULL, roles TEXT NOT NULL, status TEXT NOT NULL);
        CREATE TABLE role (id TEXT PRIMARY KEY, body TEXT NOT NULL);
        CREATE TABLE accessGrant (id TEXT PRIMARY KEY, granteeId TEXT NOT NULL, body TEXT NOT NULL);
        CREATE INDEX accessGrant_grantee ON accessGrant(granteeId);
        CREATE TABLE credential (
            staffId TEXT PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE, loginName TEXT NOT NULL,
            passwordHash TEXT NOT NULL, updatedAt DOUBLE PRECISION NOT NULL);
        CREATE UNIQUE INDEX credential_login ON credential(lower(loginName));
        CREATE TABLE device (
            id TEXT PRIMARY KEY, staffId TEXT NOT NULL REFERENCES staff(id),
            status TEXT NOT NULL, name TEXT NOT NULL, platform TEXT NOT NULL,
            registeredAt DOUBLE PRECISION NOT NULL, lastSeenAt DOUBLE PRECISION NOT NULL,
            leaseKey BYTEA NOT NULL, leaseExpiresAt DOUBLE PRECISION NOT NULL, revokedAt DOUBLE PRECISION);
        CREATE INDEX device_staff ON device(staffId);
        CREATE TABLE token (
            hash BYTEA PRIMARY KEY, kind TEXT NOT NULL, deviceId TEXT NOT NULL, staffId TEXT NOT NULL,
            issuedAt DOUBLE PRECISION NOT NULL, expiresAt DOUBLE PRECISION NOT NULL,
            usedAt DOUBLE PRECISION, revokedAt DOUBLE PRECISION);
        CREATE INDEX token_device ON token(deviceId);
        CREATE INDEX token_expiry ON token(expiresAt);
        CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE loginNameFailure (
            loginName TEXT NOT NULL, source TEXT NOT NULL, count BIGINT NOT NULL,
            lastFailureAt DOUBLE PRECISION NOT NULL, nextAttemptAt DOUBLE PRECISION, PRIMARY KEY (loginName, source));
        CREATE TABLE loginAddressFailure (
            address TEXT PRIMARY KEY, count BIGINT NOT NULL, lastFailureAt DOUBLE PRECISION NOT NULL,
            nextAttemptAt DOUBLE PRECISION, blockedUntil DOUBLE PRECISION);
        CREATE TABLE loginFamiliarAddress (
            loginName TEXT NOT NULL, address TEXT NOT NULL, lastSuccessAt DOUBLE PRECISION NOT NULL,
            PRIMARY KEY (loginName, address));
        CREATE INDEX loginFamiliarAddress_lastSuccess ON loginFamiliarAddress(lastSuccessAt);

        CREATE TABLE auditEntry (
            sequence BIGINT PRIMARY KEY, timeMs BIGINT NOT NULL, actorId TEXT, deviceId TEXT,
            action TEXT NOT NULL, recordIds TEXT NOT NULL, fields TEXT NOT NULL,
            allowed BOOLEAN NOT NULL, reason TEXT NOT NULL, previousHash BYTEA NOT NULL, hash BYTEA NOT NULL);
        CREATE INDEX auditEntry_actor ON auditEntry(actorId, sequence);
        CREATE INDEX auditEntry_action ON auditEntry(action, sequence);
        CREATE INDEX auditEntry_time ON auditEntry(timeMs);
        CREATE TABLE auditCheckpoint (
            sequence BIGINT PRIMARY KEY, entryHash BYTEA NOT NULL, timeMs BIGINT NOT NULL, mac BYTEA NOT NULL);
        CREATE FUNCTION rapport_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$;
        CREATE TRIGGER auditEntry_appendOnly BEFORE UPDATE OR DELETE ON auditEntry
            FOR EACH ROW EXECUTE FUNCTION rapport_audit_append_only();

        CREATE TABLE accessAlert (
            id TEXT PRIMARY KEY, dedupeKey TEXT NOT NULL UNIQUE, staffId TEXT NOT NULL,
            status TEXT NOT NULL, raisedAt DOUBLE PRECISION NOT NULL, body TEXT NOT NULL);
        CREATE INDEX accessAlert_status ON accessAlert(status, raisedAt);
        CREATE INDEX accessAlert_staff ON accessAlert(staffId, raisedAt);

        CREATE TABLE activityDay (
            staffId TEXT NOT NULL, day BIGINT NOT NULL,
            distinctCustomers BIGINT NOT NULL DEFAULT 0, outOfHoursCustomers BIGINT NOT NULL DEFAULT 0,
            exports BIGINT NOT NULL DEFAULT 0, refusals BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (staffId, day));
        CREATE TABLE activityCustomer (
            staffId TEXT NOT NULL, day BIGINT NOT NULL, customerId TEXT NOT NULL,
            outOfHours BOOLEAN NOT NULL, PRIMARY KEY (staffId, day, customerId));

        CREATE TABLE syncRecord (
            kind TEXT NOT NULL, id TEXT NOT NULL, version BIGINT NOT NULL, deleted BOOLEAN NOT NULL,
            deletedAtMillis BIGINT, sequence BIGINT NOT NULL, customerId TEXT,
            fields TEXT NOT NULL, fieldStates TEXT NOT NULL, PRIMARY KEY (kind, id));
        CREATE INDEX syncRecord_customer ON syncRecord(customerId) WHERE NOT deleted;
        CREATE INDEX syncRecord_tombstone ON syncRecord(deletedAtMillis) WHERE deleted;
        CREATE TABLE syncChange (
            sequence BIGINT PRIMARY KEY, kind TEXT NOT NULL, id TEXT NOT NULL,
            version BIGINT NOT NULL, paths TEXT NOT NULL, deleted BOOLEAN NOT NULL, committedAtMillis BIGINT NOT NULL);
        CREATE TABLE syncOutcome (
            mutationId TEXT PRIMARY KEY, staffId TEXT NOT NULL, deviceId TEXT NOT NULL,
            kind TEXT NOT NULL, recordId TEXT NOT NULL, status TEXT NOT NULL, version BIGINT,
            conflicts TEXT, rejection TEXT, recordedAtMillis BIGINT NOT NULL);
        CREATE INDEX syncOutcome_time ON syncOutcome(recordedAtMillis);
        CREATE TABLE syncCustomer (
            id TEXT PRIMARY KEY, ownerId TEXT NOT NULL, teamId TEXT, tier TEXT,
            accountManagerId TEXT, keyAnchor TEXT NOT NULL);
        CREATE INDEX syncCustomer_owner ON syncCustomer(ownerId);
        CREATE INDEX syncCustomer_team ON syncCustomer(teamId);
        CREATE INDEX syncCustomer_anchor ON syncCustomer(keyAnchor);
        CREATE INDEX syncCustomer_tier ON syncCustomer(tier);
        CREATE TABLE syncCustomerTag (customerId TEXT NOT NULL, tag TEXT NOT NULL, PRIMARY KEY (customerId, tag));
        CREATE INDEX syncCustomerTag_tag ON syncCustomerTag(tag);
        CREATE TABLE syncOpenComplaint (complaintId TEXT PRIMARY KEY, customerId TEXT NOT NULL, assigneeId TEXT NOT NULL);
        CREATE INDEX syncOpenComplaint_assignee ON syncOpenComplaint(assigneeId);
        CREATE TABLE syncScope (
            deviceId TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL, fromEpoch BIGINT NOT NULL, toEpoch BIGINT,
            PRIMARY KEY (deviceId, kind, id, fromEpoch));
        CREATE INDEX syncScope_open ON syncScope(deviceId, toEpoch);
        CREATE TABLE syncDeviceEpoch (deviceId TEXT PRIMARY KEY, lastEpoch BIGINT NOT NULL, minEpoch BIGINT NOT NULL);
        CREATE TABLE syncState (key TEXT PRIMARY KEY, value BIGINT NOT NULL);
        INSERT INTO syncState (key, value) VALUES ('historyFloor', 0), ('organisationVersion', 0), ('lastSequence', 0);
        CREATE TABLE syncQuotaCustomer (
            staffId TEXT NOT NULL, day BIGINT NOT NULL, customerId TEXT NOT NULL, PRIMARY KEY (staffId, day, customerId));

        CREATE FUNCTION rapport_bump_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN UPDATE syncState SET value = value + 1 WHERE key = 'organisationVersion'; RETURN NULL; END $$;
        CREATE TRIGGER orgVersion_team AFTER INSERT OR UPDATE OR DELETE ON team
            FOR EACH ROW EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_staff AFTER INSERT OR UPDATE OR DELETE ON staff
            FOR EACH ROW EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_role AFTER INSERT OR UPDATE OR DELETE ON role
            FOR EACH ROW EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_accessGrant AFTER INSERT OR UPDATE OR DELETE ON accessGrant
            FOR EACH ROW EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_device_insert_delete AFTER INSERT OR DELETE ON device
            FOR EACH ROW EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_device_update AFTER UPDATE OF status, staffId ON device
            FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.staffId IS DISTINCT FROM NEW.staffId)
            EXECUTE FUNCTION rapport_bump_organisation();
        CREATE TRIGGER orgVersion_settings AFTER INSERT OR UPDATE ON setting
            FOR EACH ROW WHEN (NEW.key = 'accessSettings') EXECUTE FUNCTION rapport_bump_organisation();
        INSERT INTO setting (key, value) VALUES ('organisationId', md5(random()::text || clock_timestamp()::text));
        """
}

extension PostgresServerStorage {
    /// Creates (`create: true`) or drops with everything in it (`create: false`) the schema
    /// `name` in the database at `url` (whose own `schema` parameter is ignored). For giving
    /// each test, or each of several Rapport organisations, a schema of its own in one database.
    ///
    /// - Throws: ``ServerError/Code/unavailable`` when the database cannot be reached;
    ///   ``ServerError/Code/invalidConfiguration`` for a malformed URL or name.
    public static func manageSchema(_ name: String, create: Bool, at url: String) async throws {
        var parsed = try PostgresDatabaseURL(url)
        guard name.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw ServerError(.invalidConfiguration, "'\(name)' is not a schema name; give a lower-case identifier")
        }
        parsed.schema = nil
        let client = PostgresClient(
            configuration: PostgresClient.Configuration(
                host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
                database: parsed.database, tls: .disable))
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let statement = create ? "CREATE SCHEMA IF NOT EXISTS \(name)" : "DROP SCHEMA IF EXISTS \(name) CASCADE"
        do {
            try await client.withConnection { connection in
                try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Logger(label: "rapport.postgres"))
                    .collect()
            }
        } catch {
            throw ServerError(.unavailable, "cannot \(create ? "create" : "drop") schema \(name) at \(parsed.redacted)", cause: error)
        }
    }
}
