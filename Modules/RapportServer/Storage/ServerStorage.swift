import Foundation
import RapportAccess
import RapportSyncServer

/// The one seam between the server's services and its database: units of work over the
/// server's durable state (organisation, credentials, devices, tokens, sign-in throttle,
/// settings, audit log, alerts, activity, quotas, and — through RapportSyncServer's
/// `SyncServerStorage` — the sync records and change log).
///
/// ```swift
/// // Creating a member of staff: team, staff, login and audit entry commit together.
/// try await storage.write { tx in
///     try await tx.saveStaff(staff)
///     try await tx.saveCredential(credential)
///     try await audit.append(event)   // joins this unit (same task, same storage)
/// }
/// let organisation = try await storage.read { tx in try await tx.organisation() }
/// ```
///
/// Every method is safe to call concurrently. Tokens are stored only as SHA-256 hashes.
/// Anomaly alerts and each person's daily activity are part of it: detection is not optional.
///
/// - ``read(_:)`` runs its body against one consistent snapshot.
/// - ``write(_:)`` runs its body as one atomic commit; when the body throws, nothing it wrote
///   remains. Write units are serialisable: on SQLite they hold the database's write lock
///   (`BEGIN IMMEDIATE`) from their first statement, across processes too; a PostgreSQL
///   storage would run them `SERIALIZABLE` (or lock the rows it counts on) and retry on
///   serialisation failures.
/// - A unit opened while the calling task already has a unit of the same storage open joins
///   it, so a service that calls another (the audit log, quotas, the policy) inside a unit
///   stays in that unit, and no unit waits on the single writer it holds itself.
/// - The storage is also a ``ServerTransaction``: an operation called on it directly joins the
///   caller's open unit or, outside any, runs as a unit of its own.
///
/// Every service is built over `any ServerStorage`; a storage lacking an operation does not
/// compile, and there is no fallback to memory. ``SQLiteServerStorage`` (the default, embedded
/// in the data directory) implements it; a PostgreSQL storage implements the same two methods
/// and ``ServerTransaction`` over a postgres-nio connection. Backup and restore of the SQLite
/// file are SQLite-only operator commands, outside this seam (``SQLiteServerStorage/backup(to:)``).
public protocol ServerStorage: ServerTransaction, SyncServerStorage {
    /// Runs `body` against one consistent snapshot and returns its result.
    func read<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T

    /// Runs `body` as one atomic write: everything it writes commits when it returns, nothing
    /// when it throws (the error is rethrown).
    func write<T: Sendable>(_ body: @Sendable (any ServerTransaction) async throws -> T) async throws -> T

    /// Runs `work` once the calling task's open write unit has committed — never if it rolls
    /// back — or at once when no write unit is open. For what must not be seen before the data
    /// (live-channel notices, policy invalidation).
    func afterCommit(_ work: @escaping @Sendable () async -> Void) async

    /// Whether the calling task has a unit of this storage open (work it does now commits with
    /// that unit, or not at all).
    var hasOpenUnit: Bool { get }

    /// The storage kind `GET /v1/info` reports, e.g. `sqlite`.
    var storageKind: String { get }

    /// Throws unless the database answers a trivial query and, after a write failed for want of
    /// disk, can write again (readiness; ``StorageHealth``).
    func checkReachable() async throws
}

extension ServerStorage {
    /// ``read(_:)`` for the sync core: every server storage serves the sync core's units with its own.
    public func syncRead<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws
        -> T
    {
        try await read { try await body($0) }
    }

    /// ``write(_:)`` for the sync core.
    public func syncWrite<T: Sendable>(_ body: @Sendable (any SyncStorageTransaction) async throws -> T) async throws
        -> T
    {
        try await write { try await body($0) }
    }
}

/// The operations of the server's storage, available on the handle of a unit of work (and on
/// the storage itself, see ``ServerStorage``): the organisation (staff, teams, roles, grants),
/// credentials, devices and their key leases, token hashes, sign-in throttle counters and
/// settings, plus audit (``AuditStorage``), alerts (``AlertStorage``), activity
/// (``ActivityStorage``) and sync scope and quotas (``SyncScopeStorage``, which includes the
/// sync core's `SyncStorageTransaction`).
///
/// Tokens are stored only as SHA-256 hashes.
public protocol ServerTransaction: AlertStorage, ActivityStorage, AuditStorage, SyncScopeStorage, Sendable {
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
    /// Deletes an address's failure counter.
    func clearAddressFailures(address: String) async throws
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
}
