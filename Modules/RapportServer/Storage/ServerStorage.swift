import Foundation
import RapportAccess

/// The server's durable state: the organisation (staff, teams, roles, grants), credentials,
/// devices and their key leases, token hashes, login-failure counters and settings.
///
/// ``SQLiteServerStorage`` (the default, embedded in the data directory) implements it; a
/// PostgreSQL implementation can follow. Sync storage (RapportSyncServer's `SyncServerStorage`) is
/// implemented by the same type over the same database, with its own migrations appended to
/// ``SQLiteServerStorage/migrator``, so one backup holds the whole server.
///
/// Every method is safe to call concurrently. Tokens are stored only as SHA-256 hashes.
/// Anomaly alerts and each person's daily activity (``AlertStorage``, ``ActivityStorage``) are
/// part of it: detection is not optional.
public protocol ServerStorage: AlertStorage, ActivityStorage, AuditStorage, SyncScopeStorage, Sendable {
    /// The storage kind `GET /v1/info` reports, e.g. `sqlite`.
    var storageKind: String { get }

    /// Throws unless the database answers a trivial query and, after a write failed for want of
    /// disk, can write again (readiness; ``StorageHealth``).
    func checkReachable() async throws

    /// Everything the access policy needs (staff, teams, devices, custom roles, grants).
    func organisation() async throws -> Organisation
    /// Inserts or replaces a team.
    func saveTeam(_ team: Team) async throws
    /// Inserts or replaces a member of staff (status changes included).
    func saveStaff(_ staff: Staff) async throws
    /// The member of staff, or `nil`.
    func staff(id: UUID) async throws -> Staff?
    /// Inserts or replaces a custom (or changed built-in) role.
    func saveRole(_ role: Role) async throws
    /// Inserts or replaces a grant.
    func saveGrant(_ grant: AccessGrant) async throws

    /// Inserts or replaces the login of a member of staff (login names are unique, compared
    /// case-insensitively).
    func saveCredential(_ credential: StaffCredential) async throws
    /// The login with that name (case-insensitive), or `nil`.
    func credential(loginName: String) async throws -> StaffCredential?
    /// The login of a member of staff, or `nil` if they have none.
    func credential(staffId: UUID) async throws -> StaffCredential?

    /// The device, or `nil`.
    func device(id: UUID) async throws -> RegisteredDevice?
    /// Inserts or replaces a device.
    func saveDevice(_ device: RegisteredDevice) async throws
    /// The devices registered to a member of staff.
    func devices(staffId: UUID) async throws -> [RegisteredDevice]
    /// How many active devices checked in since `date`.
    func activeDeviceCount(seenSince date: Date) async throws -> Int

    /// Stores a newly issued token (by hash).
    func saveToken(_ token: StoredToken) async throws
    /// The token with that SHA-256 hash, or `nil`.
    func token(hash: [UInt8]) async throws -> StoredToken?
    /// Marks a refresh token used, atomically: returns the token as it was before, so the
    /// caller sees whether it had already been used (reuse) or revoked. `nil` if unknown.
    func consumeRefreshToken(hash: [UInt8], at date: Date) async throws -> StoredToken?
    /// Revokes every token of the device (logout, refresh-token reuse, device revocation).
    func revokeTokens(deviceId: UUID, at date: Date) async throws
    /// Deletes tokens that expired before `date`; returns how many.
    func purgeTokens(expiredBefore date: Date) async throws -> Int

    /// The failure counter of a login name (case-insensitive) from one source
    /// (``LoginFailures/unfamiliarSource`` or a familiar address), or `nil` if it has none.
    func loginFailures(loginName: String, source: String) async throws -> LoginFailures?
    /// Stores a failure counter.
    func saveLoginFailures(_ failures: LoginFailures) async throws
    /// Clears the counter of one source (successful login).
    func clearLoginFailures(loginName: String, source: String) async throws
    /// Clears every counter of the login name (administrator unlock).
    func clearLoginFailures(loginName: String) async throws
    /// The failure counter of a client address (its throttle key), or `nil`.
    func addressFailures(address: String) async throws -> AddressFailures?
    /// Stores an address's failure counter.
    func saveAddressFailures(_ failures: AddressFailures) async throws
    /// The latest successful sign-in of the login name (case-insensitive) from the address, or `nil`.
    func lastSuccessfulLogin(loginName: String, address: String) async throws -> Date?
    /// Records a successful sign-in of the login name from the address.
    func recordSuccessfulLogin(loginName: String, address: String, at date: Date) async throws
    /// How many addresses are blocked at `date`.
    func blockedAddressCount(at date: Date) async throws -> Int
    /// Deletes address counters idle and unblocked since `quietSince`, and familiar addresses
    /// last used before `familiarSince`; returns how many rows went.
    func purgeLoginRecords(quietSince: Date, familiarSince: Date) async throws -> Int

    /// A server setting (e.g. whether bootstrap ran), or `nil`.
    func setting(_ key: String) async throws -> String?
    /// Stores a server setting.
    func setSetting(_ key: String, _ value: String) async throws

    /// Writes a consistent copy of the whole database to `path` while the server runs.
    /// The file must not exist.
    func backup(to path: String) async throws
}
