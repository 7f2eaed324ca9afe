import Foundation
import RapportAccess
import RapportModels

/// Organisation, credentials, devices, tokens, sign-in throttle and settings on PostgreSQL:
/// the statements of ``SQLiteServerStorage``'s, in PostgreSQL's dialect (`INSERT … ON CONFLICT`
/// for `INSERT OR REPLACE`).
extension PostgresServerStorage {
    // MARK: - Organisation

    /// Loads staff, teams, devices, custom roles and grants.
    public func organisation() async throws -> Organisation {
        try await run("loading the organisation") {
            try await self.unit(.read) { sql in
                let teams = try await sql.rows("SELECT * FROM team ORDER BY name").map(Self.team)
                let staff = try await sql.rows("SELECT * FROM staff ORDER BY name").map(Self.staff)
                let devices = try await sql.rows("SELECT * FROM device").map(Self.device).map(\.device)
                let roles = try await sql.rows("SELECT body FROM role ORDER BY id").map {
                    try SQLiteServerStorage.decode(Role.self, try $0.text("body"))
                }
                let grants = try await sql.rows("SELECT body FROM accessGrant").map {
                    try SQLiteServerStorage.decode(AccessGrant.self, try $0.text("body"))
                }
                let settings = try await sql.one(
                    "SELECT value FROM setting WHERE key = ?", [.text(SQLiteServerStorage.accessSettingsKey)])
                return Organisation(
                    staff: staff, teams: teams, devices: devices, roles: roles, grants: grants,
                    settings: try settings.map { try SQLiteServerStorage.decode(AccessSettings.self, try $0.text("value")) }
                        ?? AccessSettings())
            }
        }
    }

    /// Inserts or replaces a team.
    public func saveTeam(_ team: Team) async throws {
        try await run("saving a team") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO team (id, name, parentId) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, parentId = excluded.parentId
                    """, [.uuid(team.id), .text(team.name), .uuid(team.parentId)])
            }
        }
    }

    /// Inserts or replaces a member of staff.
    public func saveStaff(_ staff: Staff) async throws {
        let roles = try SQLiteServerStorage.encode(staff.roles.sorted())
        try await run("saving a member of staff") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO staff (id, name, teamId, roles, status) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET name = excluded.name, teamId = excluded.teamId,
                        roles = excluded.roles, status = excluded.status
                    """,
                    [.uuid(staff.id), .text(staff.name), .uuid(staff.teamId), .text(roles), .text(staff.status.rawValue)])
            }
        }
    }

    /// The member of staff, or `nil`.
    public func staff(id: UUID) async throws -> Staff? {
        try await run("reading a member of staff") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM staff WHERE id = ?", [.uuid(id)]).map(Self.staff)
            }
        }
    }

    /// Inserts or replaces a role.
    public func saveRole(_ role: Role) async throws {
        let body = try SQLiteServerStorage.encode(role)
        try await run("saving a role") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "INSERT INTO role (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
                    [.text(role.id.rawValue), .text(body)])
            }
        }
    }

    /// Inserts or replaces a grant.
    public func saveGrant(_ grant: AccessGrant) async throws {
        let body = try SQLiteServerStorage.encode(grant)
        try await run("saving a grant") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO accessGrant (id, granteeId, body) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET granteeId = excluded.granteeId, body = excluded.body
                    """, [.uuid(grant.id), .uuid(grant.granteeId), .text(body)])
            }
        }
    }

    // MARK: - Credentials

    /// Inserts or replaces a login (a login of another person with the same name, compared
    /// case-insensitively, is replaced, as SQLite's `INSERT OR REPLACE` does).
    public func saveCredential(_ credential: StaffCredential) async throws {
        try await run("saving a login") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "DELETE FROM credential WHERE lower(loginName) = lower(?) AND staffId <> ?",
                    [.text(credential.loginName), .uuid(credential.staffId)])
                try await sql.execute(
                    """
                    INSERT INTO credential (staffId, loginName, passwordHash, updatedAt) VALUES (?, ?, ?, ?)
                    ON CONFLICT (staffId) DO UPDATE SET loginName = excluded.loginName,
                        passwordHash = excluded.passwordHash, updatedAt = excluded.updatedAt
                    """,
                    [
                        .uuid(credential.staffId), .text(credential.loginName), .text(credential.passwordHash),
                        .date(credential.updatedAt),
                    ])
            }
        }
    }

    /// The login of a member of staff, or `nil`.
    public func credential(staffId: UUID) async throws -> StaffCredential? {
        try await run("reading a login") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM credential WHERE staffId = ?", [.uuid(staffId)]).map(Self.credential)
            }
        }
    }

    /// The login with that name (case-insensitive), or `nil`.
    public func credential(loginName: String) async throws -> StaffCredential? {
        try await run("reading a login") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM credential WHERE lower(loginName) = lower(?)", [.text(loginName)]).map(
                    Self.credential)
            }
        }
    }

    // MARK: - Devices

    /// The device, or `nil`.
    public func device(id: UUID) async throws -> RegisteredDevice? {
        try await run("reading a device") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM device WHERE id = ?", [.uuid(id)]).map(Self.device)
            }
        }
    }

    /// Inserts or replaces a device.
    public func saveDevice(_ device: RegisteredDevice) async throws {
        try await run("saving a device") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO device
                        (id, staffId, status, name, platform, registeredAt, lastSeenAt, leaseKey, leaseExpiresAt, revokedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        staffId = excluded.staffId, status = excluded.status, name = excluded.name,
                        platform = excluded.platform, registeredAt = excluded.registeredAt,
                        lastSeenAt = excluded.lastSeenAt, leaseKey = excluded.leaseKey,
                        leaseExpiresAt = excluded.leaseExpiresAt, revokedAt = excluded.revokedAt
                    """,
                    [
                        .uuid(device.id), .uuid(device.device.staffId), .text(device.device.status.rawValue),
                        .text(device.name), .text(device.platform), .date(device.registeredAt), .date(device.lastSeenAt),
                        .bytes(Data(device.leaseKey)), .date(device.leaseExpiresAt), .date(device.revokedAt),
                    ])
            }
        }
    }

    /// The devices of a member of staff.
    public func devices(staffId: UUID) async throws -> [RegisteredDevice] {
        try await run("listing devices") {
            try await self.unit(.read) { sql in
                try await sql.rows("SELECT * FROM device WHERE staffId = ? ORDER BY registeredAt", [.uuid(staffId)])
                    .map(Self.device)
            }
        }
    }

    /// Active devices seen since `date`.
    public func activeDeviceCount(seenSince date: Date) async throws -> Int {
        try await run("counting devices") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT COUNT(*) AS n FROM device WHERE status = 'active' AND lastSeenAt >= ?", [.date(date)]
                )?.int("n") ?? 0
            }
        }
    }

    // MARK: - Tokens

    /// Stores a token hash.
    public func saveToken(_ token: StoredToken) async throws {
        try await run("saving a token") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO token (hash, kind, deviceId, staffId, issuedAt, expiresAt, usedAt, revokedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    [
                        .bytes(Data(token.hash)), .text(token.kind.rawValue), .uuid(token.deviceId), .uuid(token.staffId),
                        .date(token.issuedAt), .date(token.expiresAt), .date(token.usedAt), .date(token.revokedAt),
                    ])
            }
        }
    }

    /// The token with that hash, or `nil`.
    public func token(hash: [UInt8]) async throws -> StoredToken? {
        try await run("reading a token") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM token WHERE hash = ?", [.bytes(Data(hash))]).map(Self.token)
            }
        }
    }

    /// Marks a refresh token used and returns it as it was before (the row is locked, so two
    /// exchanges of one token on two instances see each other).
    public func consumeRefreshToken(hash: [UInt8], at date: Date) async throws -> StoredToken? {
        try await run("exchanging a refresh token") {
            try await self.unit(.write) { sql in
                guard
                    let before = try await sql.one(
                        "SELECT * FROM token WHERE hash = ? AND kind = 'refresh' FOR UPDATE", [.bytes(Data(hash))]
                    ).map(Self.token)
                else { return nil }
                if before.usedAt == nil {
                    try await sql.execute("UPDATE token SET usedAt = ? WHERE hash = ?", [.date(date), .bytes(Data(hash))])
                }
                return before
            }
        }
    }

    /// Revokes every unrevoked token of a device.
    public func revokeTokens(deviceId: UUID, at date: Date) async throws {
        try await run("revoking tokens") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "UPDATE token SET revokedAt = ? WHERE deviceId = ? AND revokedAt IS NULL", [.date(date), .uuid(deviceId)])
            }
        }
    }

    /// Deletes tokens expired before `date`.
    public func purgeTokens(expiredBefore date: Date) async throws -> Int {
        try await run("purging tokens") {
            try await self.unit(.write) { sql in
                try await sql.rows("DELETE FROM token WHERE expiresAt < ? RETURNING 1 AS gone", [.date(date)]).count
            }
        }
    }

    // MARK: - Login failures

    /// The failure counter of one source, or `nil`.
    public func loginFailures(loginName: String, source: String) async throws -> LoginFailures? {
        let key = loginName.lowercased()
        return try await run("reading login failures") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT * FROM loginNameFailure WHERE loginName = ? AND source = ?", [.text(key), .text(source)]
                ).map {
                    LoginFailures(
                        loginName: try $0.text("loginName"), source: try $0.text("source"), count: try $0.int("count"),
                        lastFailureAt: try $0.date("lastFailureAt"), nextAttemptAt: try $0.optionalDate("nextAttemptAt"))
                }
            }
        }
    }

    /// Stores a failure counter.
    public func saveLoginFailures(_ failures: LoginFailures) async throws {
        try await run("saving login failures") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO loginNameFailure (loginName, source, count, lastFailureAt, nextAttemptAt)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (loginName, source) DO UPDATE SET count = excluded.count,
                        lastFailureAt = excluded.lastFailureAt, nextAttemptAt = excluded.nextAttemptAt
                    """,
                    [
                        .text(failures.loginName.lowercased()), .text(failures.source), .int(failures.count),
                        .date(failures.lastFailureAt), .date(failures.nextAttemptAt),
                    ])
            }
        }
    }

    /// Clears one source's failure counter.
    public func clearLoginFailures(loginName: String, source: String) async throws {
        let key = loginName.lowercased()
        try await run("clearing login failures") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "DELETE FROM loginNameFailure WHERE loginName = ? AND source = ?", [.text(key), .text(source)])
            }
        }
    }

    /// Clears every failure counter of the login name.
    public func clearLoginFailures(loginName: String) async throws {
        let key = loginName.lowercased()
        try await run("clearing login failures") {
            try await self.unit(.write) { sql in
                try await sql.execute("DELETE FROM loginNameFailure WHERE loginName = ?", [.text(key)])
            }
        }
    }

    /// An address's failure counter, or `nil`.
    public func addressFailures(address: String) async throws -> AddressFailures? {
        try await run("reading address failures") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT * FROM loginAddressFailure WHERE address = ?", [.text(address)]).map {
                    AddressFailures(
                        address: try $0.text("address"), count: try $0.int("count"),
                        lastFailureAt: try $0.date("lastFailureAt"), nextAttemptAt: try $0.optionalDate("nextAttemptAt"),
                        blockedUntil: try $0.optionalDate("blockedUntil"))
                }
            }
        }
    }

    /// Stores an address's failure counter.
    public func saveAddressFailures(_ failures: AddressFailures) async throws {
        try await run("saving address failures") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO loginAddressFailure (address, count, lastFailureAt, nextAttemptAt, blockedUntil)
                    VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (address) DO UPDATE SET count = excluded.count, lastFailureAt = excluded.lastFailureAt,
                        nextAttemptAt = excluded.nextAttemptAt, blockedUntil = excluded.blockedUntil
                    """,
                    [
                        .text(failures.address), .int(failures.count), .date(failures.lastFailureAt),
                        .date(failures.nextAttemptAt), .date(failures.blockedUntil),
                    ])
            }
        }
    }

    /// Deletes an address's failure counter.
    public func clearAddressFailures(address: String) async throws {
        try await run("clearing address failures") {
            try await self.unit(.write) { sql in
                try await sql.execute("DELETE FROM loginAddressFailure WHERE address = ?", [.text(address)])
            }
        }
    }

    /// The latest successful sign-in of the login name from the address, or `nil`.
    public func lastSuccessfulLogin(loginName: String, address: String) async throws -> Date? {
        let key = loginName.lowercased()
        return try await run("reading familiar addresses") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT lastSuccessAt FROM loginFamiliarAddress WHERE loginName = ? AND address = ?",
                    [.text(key), .text(address)]
                )?.date("lastSuccessAt")
            }
        }
    }

    /// Records a successful sign-in from the address.
    public func recordSuccessfulLogin(loginName: String, address: String, at date: Date) async throws {
        let key = loginName.lowercased()
        try await run("saving a familiar address") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    """
                    INSERT INTO loginFamiliarAddress (loginName, address, lastSuccessAt) VALUES (?, ?, ?)
                    ON CONFLICT (loginName, address) DO UPDATE SET lastSuccessAt = excluded.lastSuccessAt
                    """, [.text(key), .text(address), .date(date)])
            }
        }
    }

    /// How many addresses are blocked at `date`.
    public func blockedAddressCount(at date: Date) async throws -> Int {
        try await run("counting blocked addresses") {
            try await self.unit(.read) { sql in
                try await sql.one(
                    "SELECT COUNT(*) AS n FROM loginAddressFailure WHERE blockedUntil > ?", [.date(date)])?.int("n") ?? 0
            }
        }
    }

    /// Deletes quiet address counters and stale familiar addresses.
    public func purgeLoginRecords(quietSince: Date, familiarSince: Date) async throws -> Int {
        try await run("purging login records") {
            try await self.unit(.write) { sql in
                let quiet = try await sql.rows(
                    """
                    DELETE FROM loginAddressFailure
                    WHERE GREATEST(lastFailureAt, COALESCE(nextAttemptAt, 0), COALESCE(blockedUntil, 0)) < ?
                    RETURNING 1 AS gone
                    """, [.date(quietSince)])
                let stale = try await sql.rows(
                    "DELETE FROM loginFamiliarAddress WHERE lastSuccessAt < ? RETURNING 1 AS gone", [.date(familiarSince)])
                return quiet.count + stale.count
            }
        }
    }

    // MARK: - Settings

    /// A setting, or `nil`.
    public func setting(_ key: String) async throws -> String? {
        try await run("reading a setting") {
            try await self.unit(.read) { sql in
                try await sql.one("SELECT value FROM setting WHERE key = ?", [.text(key)])?.text("value")
            }
        }
    }

    /// Stores a setting.
    public func setSetting(_ key: String, _ value: String) async throws {
        try await run("saving a setting") {
            try await self.unit(.write) { sql in
                try await sql.execute(
                    "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    [.text(key), .text(value)])
            }
        }
    }

    // MARK: - Row mapping

    static func team(_ row: PGRow) throws -> Team {
        Team(id: try row.uuid("id"), name: try row.text("name"), parentId: try row.optionalUUID("parentId"))
    }

    static func staff(_ row: PGRow) throws -> Staff {
        guard let status = StaffStatus(rawValue: try row.text("status")) else {
            throw ServerError(.storage, "the database holds an unknown staff status; upgrade the server")
        }
        let roles = try SQLiteServerStorage.decode([RoleID].self, try row.text("roles"))
        return Staff(
            id: try row.uuid("id"), name: try row.text("name"), teamId: try row.uuid("teamId"), roles: Set(roles),
            status: status)
    }

    static func credential(_ row: PGRow) throws -> StaffCredential {
        StaffCredential(
            staffId: try row.uuid("staffId"), loginName: try row.text("loginName"),
            passwordHash: try row.text("passwordHash"), updatedAt: try row.date("updatedAt"))
    }

    static func device(_ row: PGRow) throws -> RegisteredDevice {
        guard let status = DeviceStatus(rawValue: try row.text("status")) else {
            throw ServerError(.storage, "the database holds an unknown device status; upgrade the server")
        }
        return RegisteredDevice(
            device: Device(id: try row.uuid("id"), staffId: try row.uuid("staffId"), status: status),
            name: try row.text("name"), platform: try row.text("platform"), registeredAt: try row.date("registeredAt"),
            lastSeenAt: try row.date("lastSeenAt"), leaseKey: try row.bytes("leaseKey"),
            leaseExpiresAt: try row.date("leaseExpiresAt"), revokedAt: try row.optionalDate("revokedAt"))
    }

    static func token(_ row: PGRow) throws -> StoredToken {
        guard let kind = StoredToken.Kind(rawValue: try row.text("kind")) else {
            throw ServerError(.storage, "the database holds an unknown token kind; upgrade the server")
        }
        return StoredToken(
            hash: try row.bytes("hash"), kind: kind, deviceId: try row.uuid("deviceId"), staffId: try row.uuid("staffId"),
            issuedAt: try row.date("issuedAt"), expiresAt: try row.date("expiresAt"),
            usedAt: try row.optionalDate("usedAt"), revokedAt: try row.optionalDate("revokedAt"))
    }
}
