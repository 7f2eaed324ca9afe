import Foundation
import GRDB
import RapportAccess
import RapportModels
import RapportSyncServer

/// The default ``ServerStorage``: one SQLite database in WAL mode in the data directory,
/// through GRDB, with schema changes as named migrations in ``migrator``.
///
/// ```swift
/// let storage = try SQLiteServerStorage(path: DataDirectory(path: "rapport-data").databasePath)
/// try await storage.checkReachable()
/// ```
///
/// The sync step adds its tables as further migrations and conforms this type to
/// RapportSyncServer's `SyncServerStorage` in an extension, over the same ``database``.
public final class SQLiteServerStorage: ServerStorage {
    /// `sqlite`.
    public var storageKind: String { "sqlite" }

    /// The connection pool (WAL: concurrent readers, one writer).
    public let database: DatabasePool
    /// Whether writes currently fail for want of disk (``StorageHealth``); `/readyz` reads it.
    public let health = StorageHealth()
    /// Serialises this storage's use of the writer connection (``write(_:)`` units hold it).
    let writerLock = SerialWriterLock()

    /// Opens (creating if needed) and migrates the database at `path`.
    ///
    /// - Parameters:
    ///   - path: the database file.
    ///   - vfs: the name of a registered SQLite VFS to open it through (tests inject disk faults
    ///     this way; needs a SQLite built with `SQLITE_USE_URI`); `nil`: SQLite's default.
    /// - Throws: ``ServerError/Code/storage`` if the file cannot be opened or migrated.
    public init(path: String, vfs: String? = nil) throws(ServerError) {
        // The database file is the server's alone; SQLite gives its WAL and -shm the same mode.
        try DataDirectory.createPrivateFile(path)
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(5)
            configuration.label = "rapport-server"
            // A write unit keeps its transaction open across several accesses to the writer
            // (SQLiteServerStorage+Units.swift); every writer access takes `writerLock`.
            configuration.allowsUnsafeTransactions = true
            database = try DatabasePool(path: vfs.map { Self.uri(path: path, vfs: $0) } ?? path, configuration: configuration)
            database.add(transactionObserver: StorageHealth.CommitObserver(health: health), extent: .databaseLifetime)
            try Self.migrator.migrate(database)
        } catch {
            throw ServerError.diskFailure(while: "opening the server database '\(path)'", cause: error)
                ?? ServerError(
                    .storage,
                    "cannot open the server database '\(path)'; check the data directory and its permissions",
                    cause: error)
        }
    }

    /// `file:<path>?vfs=<vfs>`, the path percent-encoded.
    static func uri(path: String, vfs: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "?#%")
        return "file:\(path.addingPercentEncoding(withAllowedCharacters: allowed) ?? path)?vfs=\(vfs)"
    }

    /// Copies the WAL into the database file and empties it (`wal_checkpoint(TRUNCATE)`), then
    /// closes every connection; later calls fail. For commands that hand the file on (demo
    /// seeding's swap): afterwards the database file alone holds everything.
    ///
    /// - Throws: ``ServerError/Code/storage`` if a connection is still in use.
    public func close() throws(ServerError) {
        do {
            let busy = try database.writeWithoutTransaction { db in
                try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)").map { $0[0] as Int } ?? 1
            }
            guard busy == 0 else {
                throw ServerError(.storage, "cannot close the server database: a reader kept the checkpoint from finishing")
            }
            try database.close()
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(.storage, "cannot close the server database; a request still uses it", cause: error)
        }
    }

    /// The schema, as an ordered list of named migrations. Later steps append theirs.
    public static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-identity") { db in
            try db.execute(
                sql: """
                    CREATE TABLE team (id TEXT PRIMARY KEY, name TEXT NOT NULL, parentId TEXT);
                    CREATE TABLE staff (
                        id TEXT PRIMARY KEY, name TEXT NOT NULL, teamId TEXT NOT NULL,
                        roles TEXT NOT NULL, status TEXT NOT NULL);
                    CREATE TABLE role (id TEXT PRIMARY KEY, body TEXT NOT NULL);
                    CREATE TABLE accessGrant (id TEXT PRIMARY KEY, granteeId TEXT NOT NULL, body TEXT NOT NULL);
                    CREATE INDEX accessGrant_grantee ON accessGrant(granteeId);
                    CREATE TABLE credential (
                        staffId TEXT PRIMARY KEY REFERENCES staff(id) ON DELETE CASCADE,
                        loginName TEXT NOT NULL UNIQUE COLLATE NOCASE,
                        passwordHash TEXT NOT NULL, updatedAt DOUBLE NOT NULL);
                    CREATE TABLE device (
                        id TEXT PRIMARY KEY, staffId TEXT NOT NULL REFERENCES staff(id),
                        status TEXT NOT NULL, name TEXT NOT NULL, platform TEXT NOT NULL,
                        registeredAt DOUBLE NOT NULL, lastSeenAt DOUBLE NOT NULL,
                        leaseKey BLOB NOT NULL, leaseExpiresAt DOUBLE NOT NULL, revokedAt DOUBLE);
                    CREATE INDEX device_staff ON device(staffId);
                    CREATE TABLE token (
                        hash BLOB PRIMARY KEY, kind TEXT NOT NULL, deviceId TEXT NOT NULL, staffId TEXT NOT NULL,
                        issuedAt DOUBLE NOT NULL, expiresAt DOUBLE NOT NULL, usedAt DOUBLE, revokedAt DOUBLE);
                    CREATE INDEX token_device ON token(deviceId);
                    CREATE INDEX token_expiry ON token(expiresAt);
                    CREATE TABLE loginFailure (
                        loginName TEXT PRIMARY KEY, count INTEGER NOT NULL,
                        lastFailureAt DOUBLE NOT NULL, nextAttemptAt DOUBLE);
                    CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-login-throttling") { db in
            // Failures per login name *and source* (the unfamiliar bucket or a familiar address),
            // per client address, and the addresses each login signed in from.
            try db.execute(
                sql: """
                    CREATE TABLE loginNameFailure (
                        loginName TEXT NOT NULL, source TEXT NOT NULL, count INTEGER NOT NULL,
                        lastFailureAt DOUBLE NOT NULL, nextAttemptAt DOUBLE, PRIMARY KEY (loginName, source));
                    INSERT INTO loginNameFailure (loginName, source, count, lastFailureAt, nextAttemptAt)
                        SELECT loginName, '*', count, lastFailureAt, nextAttemptAt FROM loginFailure;
                    DROP TABLE loginFailure;
                    CREATE TABLE loginAddressFailure (
                        address TEXT PRIMARY KEY, count INTEGER NOT NULL, lastFailureAt DOUBLE NOT NULL,
                        nextAttemptAt DOUBLE, blockedUntil DOUBLE);
                    CREATE TABLE loginFamiliarAddress (
                        loginName TEXT NOT NULL, address TEXT NOT NULL, lastSuccessAt DOUBLE NOT NULL,
                        PRIMARY KEY (loginName, address));
                    CREATE INDEX loginFamiliarAddress_lastSuccess ON loginFamiliarAddress(lastSuccessAt);
                    """)
        }
        registerAuditMigrations(&migrator)
        registerAlertMigrations(&migrator)
        registerSyncMigrations(&migrator)
        registerActivityMigrations(&migrator)
        registerOrganisationMigration(&migrator)
        return migrator
    }

    /// Wraps database errors with ``ServerError/storageFailure(while:cause:)`` and tells
    /// ``health`` of a full or failing disk.
    func run<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws(ServerError) -> T {
        do {
            return try await body()
        } catch let error as ServerError {
            throw error
        } catch {
            let failure = ServerError.storageFailure(while: what, cause: error)
            health.note(failure)
            throw failure
        }
    }

    // MARK: - Health

    /// Runs `SELECT 1` on a connection of its own (never inside a unit); and while ``health``
    /// remembers a failed write, a write unit of its own: it stores and then deletes a probe of
    /// ``probeBytes`` bytes, so it needs about as much new space as a push batch. Its success
    /// clears the failure; its failure is thrown.
    ///
    /// - Throws: ``ServerError/Code/storageFull`` or ``ServerError/Code/storageIOError`` while
    ///   the disk refuses writes; ``ServerError/Code/storage`` if the database cannot be read.
    public func checkReachable() async throws {
        try await run("checking readiness") {
            _ = try await self.database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        }
        guard health.failure != nil else { return }
        try await run("writing the readiness probe") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO setting (key, value) VALUES ('readinessProbe', ?)",
                    arguments: [String(repeating: "x", count: Self.probeBytes)])
            }
            try await self.unit(.write) { db in
                try db.execute(sql: "DELETE FROM setting WHERE key = 'readinessProbe'")
            }
        }
    }

    /// The size of the readiness probe's write (64 KiB: sixteen pages).
    static let probeBytes = 64 << 10

    // MARK: - Organisation

    /// Loads staff, teams, devices, custom roles and grants.
    public func organisation() async throws -> Organisation {
        try await run("loading the organisation") {
            try await self.unit(.read) { db in
                let teams = try Row.fetchAll(db, sql: "SELECT * FROM team ORDER BY name").map(Self.team)
                let staff = try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY name").map(Self.staff)
                let devices = try Row.fetchAll(db, sql: "SELECT * FROM device").map(Self.device).map(\.device)
                let roles = try String.fetchAll(db, sql: "SELECT body FROM role ORDER BY id").map {
                    try Self.decode(Role.self, $0)
                }
                let grants = try String.fetchAll(db, sql: "SELECT body FROM accessGrant").map {
                    try Self.decode(AccessGrant.self, $0)
                }
                return Organisation(
                    staff: staff, teams: teams, devices: devices, roles: roles, grants: grants,
                    settings: try Self.accessSettings(db))
            }
        }
    }

    /// Inserts or replaces a team.
    public func saveTeam(_ team: Team) async throws {
        try await run("saving a team") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO team (id, name, parentId) VALUES (?, ?, ?)",
                    arguments: [team.id.uuidString, team.name, team.parentId?.uuidString])
            }
        }
    }

    /// Inserts or replaces a member of staff.
    public func saveStaff(_ staff: Staff) async throws {
        let roles = try Self.encode(staff.roles.sorted())
        try await run("saving a member of staff") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT INTO staff (id, name, teamId, roles, status) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET name = excluded.name, teamId = excluded.teamId,
                            roles = excluded.roles, status = excluded.status
                        """,
                    arguments: [staff.id.uuidString, staff.name, staff.teamId.uuidString, roles, staff.status.rawValue])
            }
        }
    }

    /// The member of staff, or `nil`.
    public func staff(id: UUID) async throws -> Staff? {
        try await run("reading a member of staff") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM staff WHERE id = ?", arguments: [id.uuidString]).map(
                    Self.staff)
            }
        }
    }

    /// Inserts or replaces a role.
    public func saveRole(_ role: Role) async throws {
        let body = try Self.encode(role)
        try await run("saving a role") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO role (id, body) VALUES (?, ?)", arguments: [role.id.rawValue, body])
            }
        }
    }

    /// Inserts or replaces a grant.
    public func saveGrant(_ grant: AccessGrant) async throws {
        let body = try Self.encode(grant)
        try await run("saving a grant") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO accessGrant (id, granteeId, body) VALUES (?, ?, ?)",
                    arguments: [grant.id.uuidString, grant.granteeId.uuidString, body])
            }
        }
    }

    // MARK: - Credentials

    /// Inserts or replaces a login.
    public func saveCredential(_ credential: StaffCredential) async throws {
        try await run("saving a login") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO credential (staffId, loginName, passwordHash, updatedAt) VALUES (?, ?, ?, ?)",
                    arguments: [
                        credential.staffId.uuidString, credential.loginName, credential.passwordHash,
                        credential.updatedAt.timeIntervalSince1970,
                    ])
            }
        }
    }

    /// The login with that name, or `nil`.
    public func credential(staffId: UUID) async throws -> StaffCredential? {
        try await run("reading a login") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE staffId = ?", arguments: [staffId.uuidString]).map {
                    StaffCredential(
                        staffId: try Self.uuid($0["staffId"]), loginName: $0["loginName"],
                        passwordHash: $0["passwordHash"],
                        updatedAt: Date(timeIntervalSince1970: $0["updatedAt"]))
                }
            }
        }
    }

    public func credential(loginName: String) async throws -> StaffCredential? {
        try await run("reading a login") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM credential WHERE loginName = ?", arguments: [loginName]).map {
                    StaffCredential(
                        staffId: try Self.uuid($0["staffId"]), loginName: $0["loginName"],
                        passwordHash: $0["passwordHash"],
                        updatedAt: Date(timeIntervalSince1970: $0["updatedAt"]))
                }
            }
        }
    }

    // MARK: - Devices

    /// The device, or `nil`.
    public func device(id: UUID) async throws -> RegisteredDevice? {
        try await run("reading a device") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM device WHERE id = ?", arguments: [id.uuidString]).map(
                    Self.device)
            }
        }
    }

    /// Inserts or replaces a device.
    public func saveDevice(_ device: RegisteredDevice) async throws {
        try await run("saving a device") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT INTO device
                            (id, staffId, status, name, platform, registeredAt, lastSeenAt, leaseKey, leaseExpiresAt, revokedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET
                            staffId = excluded.staffId, status = excluded.status, name = excluded.name,
                            platform = excluded.platform, registeredAt = excluded.registeredAt,
                            lastSeenAt = excluded.lastSeenAt, leaseKey = excluded.leaseKey,
                            leaseExpiresAt = excluded.leaseExpiresAt, revokedAt = excluded.revokedAt
                        """,
                    arguments: [
                        device.id.uuidString, device.device.staffId.uuidString, device.device.status.rawValue,
                        device.name,
                        device.platform, device.registeredAt.timeIntervalSince1970,
                        device.lastSeenAt.timeIntervalSince1970,
                        Data(device.leaseKey), device.leaseExpiresAt.timeIntervalSince1970,
                        device.revokedAt?.timeIntervalSince1970,
                    ])
            }
        }
    }

    /// The devices of a member of staff.
    public func devices(staffId: UUID) async throws -> [RegisteredDevice] {
        try await run("listing devices") {
            try await self.unit(.read) { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM device WHERE staffId = ? ORDER BY registeredAt",
                    arguments: [staffId.uuidString]
                ).map(Self.device)
            }
        }
    }

    /// Active devices seen since `date`.
    public func activeDeviceCount(seenSince date: Date) async throws -> Int {
        try await run("counting devices") {
            try await self.unit(.read) { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM device WHERE status = 'active' AND lastSeenAt >= ?",
                    arguments: [date.timeIntervalSince1970]) ?? 0
            }
        }
    }

    // MARK: - Tokens

    /// Stores a token hash.
    public func saveToken(_ token: StoredToken) async throws {
        try await run("saving a token") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT INTO token (hash, kind, deviceId, staffId, issuedAt, expiresAt, usedAt, revokedAt)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        Data(token.hash), token.kind.rawValue, token.deviceId.uuidString, token.staffId.uuidString,
                        token.issuedAt.timeIntervalSince1970, token.expiresAt.timeIntervalSince1970,
                        token.usedAt?.timeIntervalSince1970, token.revokedAt?.timeIntervalSince1970,
                    ])
            }
        }
    }

    /// The token with that hash, or `nil`.
    public func token(hash: [UInt8]) async throws -> StoredToken? {
        try await run("reading a token") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM token WHERE hash = ?", arguments: [Data(hash)]).map(Self.token)
            }
        }
    }

    /// Marks a refresh token used and returns it as it was before.
    public func consumeRefreshToken(hash: [UInt8], at date: Date) async throws -> StoredToken? {
        try await run("exchanging a refresh token") {
            try await self.unit(.write) { db in
                guard
                    let before = try Row.fetchOne(
                        db, sql: "SELECT * FROM token WHERE hash = ? AND kind = 'refresh'", arguments: [Data(hash)]
                    ).map(Self.token)
                else { return nil }
                if before.usedAt == nil {
                    try db.execute(
                        sql: "UPDATE token SET usedAt = ? WHERE hash = ?",
                        arguments: [date.timeIntervalSince1970, Data(hash)])
                }
                return before
            }
        }
    }

    /// Revokes every unrevoked token of a device.
    public func revokeTokens(deviceId: UUID, at date: Date) async throws {
        try await run("revoking tokens") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "UPDATE token SET revokedAt = ? WHERE deviceId = ? AND revokedAt IS NULL",
                    arguments: [date.timeIntervalSince1970, deviceId.uuidString])
            }
        }
    }

    /// Deletes tokens expired before `date`.
    public func purgeTokens(expiredBefore date: Date) async throws -> Int {
        try await run("purging tokens") {
            try await self.unit(.write) { db in
                try db.execute(sql: "DELETE FROM token WHERE expiresAt < ?", arguments: [date.timeIntervalSince1970])
                return db.changesCount
            }
        }
    }

    // MARK: - Login failures

    /// The failure counter of one source, or `nil`.
    public func loginFailures(loginName: String, source: String) async throws -> LoginFailures? {
        let key = loginName.lowercased()
        return try await run("reading login failures") {
            try await self.unit(.read) { db in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM loginNameFailure WHERE loginName = ? AND source = ?",
                    arguments: [key, source]
                ).map {
                    LoginFailures(
                        loginName: $0["loginName"], source: $0["source"], count: $0["count"],
                        lastFailureAt: Date(timeIntervalSince1970: $0["lastFailureAt"]),
                        nextAttemptAt: ($0["nextAttemptAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
                }
            }
        }
    }

    /// Stores a failure counter.
    public func saveLoginFailures(_ failures: LoginFailures) async throws {
        try await run("saving login failures") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO loginNameFailure (loginName, source, count, lastFailureAt, nextAttemptAt)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        failures.loginName.lowercased(), failures.source, failures.count,
                        failures.lastFailureAt.timeIntervalSince1970, failures.nextAttemptAt?.timeIntervalSince1970,
                    ])
            }
        }
    }

    /// Clears one source's failure counter.
    public func clearLoginFailures(loginName: String, source: String) async throws {
        let key = loginName.lowercased()
        try await run("clearing login failures") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "DELETE FROM loginNameFailure WHERE loginName = ? AND source = ?", arguments: [key, source])
            }
        }
    }

    /// Clears every failure counter of the login name.
    public func clearLoginFailures(loginName: String) async throws {
        let key = loginName.lowercased()
        try await run("clearing login failures") {
            try await self.unit(.write) { db in
                try db.execute(sql: "DELETE FROM loginNameFailure WHERE loginName = ?", arguments: [key])
            }
        }
    }

    /// An address's failure counter, or `nil`.
    public func addressFailures(address: String) async throws -> AddressFailures? {
        try await run("reading address failures") {
            try await self.unit(.read) { db in
                try Row.fetchOne(db, sql: "SELECT * FROM loginAddressFailure WHERE address = ?", arguments: [address])
                    .map {
                        AddressFailures(
                            address: $0["address"], count: $0["count"],
                            lastFailureAt: Date(timeIntervalSince1970: $0["lastFailureAt"]),
                            nextAttemptAt: ($0["nextAttemptAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
                            blockedUntil: ($0["blockedUntil"] as Double?).map(Date.init(timeIntervalSince1970:)))
                    }
            }
        }
    }

    /// Stores an address's failure counter.
    public func saveAddressFailures(_ failures: AddressFailures) async throws {
        try await run("saving address failures") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO loginAddressFailure (address, count, lastFailureAt, nextAttemptAt, blockedUntil)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        failures.address, failures.count, failures.lastFailureAt.timeIntervalSince1970,
                        failures.nextAttemptAt?.timeIntervalSince1970, failures.blockedUntil?.timeIntervalSince1970,
                    ])
            }
        }
    }

    /// Deletes an address's failure counter.
    public func clearAddressFailures(address: String) async throws {
        try await run("clearing address failures") {
            try await self.unit(.write) { db in
                try db.execute(sql: "DELETE FROM loginAddressFailure WHERE address = ?", arguments: [address])
            }
        }
    }

    /// The latest successful sign-in of the login name from the address, or `nil`.
    public func lastSuccessfulLogin(loginName: String, address: String) async throws -> Date? {
        let key = loginName.lowercased()
        return try await run("reading familiar addresses") {
            try await self.unit(.read) { db in
                try Double.fetchOne(
                    db, sql: "SELECT lastSuccessAt FROM loginFamiliarAddress WHERE loginName = ? AND address = ?",
                    arguments: [key, address]
                ).map(Date.init(timeIntervalSince1970:))
            }
        }
    }

    /// Records a successful sign-in from the address.
    public func recordSuccessfulLogin(loginName: String, address: String, at date: Date) async throws {
        let key = loginName.lowercased()
        try await run("saving a familiar address") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql:
                        "INSERT OR REPLACE INTO loginFamiliarAddress (loginName, address, lastSuccessAt) VALUES (?, ?, ?)",
                    arguments: [key, address, date.timeIntervalSince1970])
            }
        }
    }

    /// How many addresses are blocked at `date`.
    public func blockedAddressCount(at date: Date) async throws -> Int {
        try await run("counting blocked addresses") {
            try await self.unit(.read) { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM loginAddressFailure WHERE blockedUntil > ?",
                    arguments: [date.timeIntervalSince1970]) ?? 0
            }
        }
    }

    /// Deletes quiet address counters and stale familiar addresses.
    public func purgeLoginRecords(quietSince: Date, familiarSince: Date) async throws -> Int {
        try await run("purging login records") {
            try await self.unit(.write) { db in
                let quiet = quietSince.timeIntervalSince1970
                try db.execute(
                    sql: """
                        DELETE FROM loginAddressFailure
                        WHERE MAX(lastFailureAt, COALESCE(nextAttemptAt, 0), COALESCE(blockedUntil, 0)) < ?
                        """,
                    arguments: [quiet])
                var removed = db.changesCount
                try db.execute(
                    sql: "DELETE FROM loginFamiliarAddress WHERE lastSuccessAt < ?",
                    arguments: [familiarSince.timeIntervalSince1970])
                removed += db.changesCount
                return removed
            }
        }
    }

    // MARK: - Settings

    /// A setting, or `nil`.
    public func setting(_ key: String) async throws -> String? {
        try await run("reading a setting") {
            try await self.unit(.read) { db in
                try String.fetchOne(db, sql: "SELECT value FROM setting WHERE key = ?", arguments: [key])
            }
        }
    }

    /// Stores a setting.
    public func setSetting(_ key: String, _ value: String) async throws {
        try await run("saving a setting") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", arguments: [key, value])
            }
        }
    }

    // MARK: - Row mapping

    static func uuid(_ string: String) throws -> UUID {
        guard let id = parseUUID(string) else {
            throw ServerError(.storage, "the database holds a malformed id '\(string)'; restore from a backup")
        }
        return id
    }

    /// `UUID(uuidString:)` for the canonical 36-character form the database stores, without
    /// Foundation's `sscanf` on Linux (a visible cost when a pull lists hundreds of ids); other
    /// spellings go to `UUID(uuidString:)`.
    static func parseUUID(_ string: String) -> UUID? {
        if let parsed = string.utf8.withContiguousStorageIfAvailable(canonicalUUID), let parsed { return parsed }
        return UUID(uuidString: string)
    }

    private static func canonicalUUID(_ text: UnsafeBufferPointer<UInt8>) -> UUID? {
        guard text.count == 36 else { return nil }
        var bytes: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &bytes) { out -> Bool in
            var index = 0
            var byte = 0
            while index < 36 {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    guard text[index] == UInt8(ascii: "-") else { return false }
                    index += 1
                    continue
                }
                guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return false }
                out[byte] = high << 4 | low
                byte += 1
                index += 2
            }
            return true
        }
        return ok ? UUID(uuid: bytes) : nil
    }

    private static func hexValue(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func team(_ row: Row) throws -> Team {
        Team(id: try uuid(row["id"]), name: row["name"], parentId: try (row["parentId"] as String?).map(uuid))
    }

    static func staff(_ row: Row) throws -> Staff {
        guard let status = StaffStatus(rawValue: row["status"]) else {
            throw ServerError(.storage, "the database holds an unknown staff status; upgrade the server")
        }
        let roles = try decode([RoleID].self, row["roles"])
        return Staff(
            id: try uuid(row["id"]), name: row["name"], teamId: try uuid(row["teamId"]), roles: Set(roles),
            status: status)
    }

    static func device(_ row: Row) throws -> RegisteredDevice {
        guard let status = DeviceStatus(rawValue: row["status"]) else {
            throw ServerError(.storage, "the database holds an unknown device status; upgrade the server")
        }
        let key: Data = row["leaseKey"]
        return RegisteredDevice(
            device: Device(id: try uuid(row["id"]), staffId: try uuid(row["staffId"]), status: status),
            name: row["name"], platform: row["platform"],
            registeredAt: Date(timeIntervalSince1970: row["registeredAt"]),
            lastSeenAt: Date(timeIntervalSince1970: row["lastSeenAt"]), leaseKey: Array(key),
            leaseExpiresAt: Date(timeIntervalSince1970: row["leaseExpiresAt"]),
            revokedAt: (row["revokedAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func token(_ row: Row) throws -> StoredToken {
        guard let kind = StoredToken.Kind(rawValue: row["kind"]) else {
            throw ServerError(.storage, "the database holds an unknown token kind; upgrade the server")
        }
        let hash: Data = row["hash"]
        return StoredToken(
            hash: Array(hash), kind: kind, deviceId: try uuid(row["deviceId"]), staffId: try uuid(row["staffId"]),
            issuedAt: Date(timeIntervalSince1970: row["issuedAt"]),
            expiresAt: Date(timeIntervalSince1970: row["expiresAt"]),
            usedAt: (row["usedAt"] as Double?).map(Date.init(timeIntervalSince1970:)),
            revokedAt: (row["revokedAt"] as Double?).map(Date.init(timeIntervalSince1970:)))
    }

    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try RapportJSON.encoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try RapportJSON.decoder().decode(type, from: Data(text.utf8))
    }
}
