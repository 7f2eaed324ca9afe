import Foundation
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// A signed-in device: the encrypted store, the sync engine over HTTP, the session (tokens and
/// key lease) and the live channel — everything a mobile app needs, in one actor.
///
/// The store's data key is wrapped under the server's **key lease** only. The lease key is
/// cached on the device (sealed under the ``DeviceKeychain`` key) until the lease's end; after
/// that the cached key is shredded and the store cannot be opened until the device reaches the
/// server again (`Docs/ClientGuide.md`, "Keys on the device"). A device the server revokes is
/// told to wipe: the store is crypto-shredded and the session destroyed.
///
/// ```swift
/// let client = try await RapportClient.signIn(
///     server: try ServerEndpoint("https://crm.example.com"), loginName: "ana.rep", password: entered,
///     directory: ClientDirectory(appSupport + "/rapport"), device: DeviceDescription(name: "Ana's iPhone", platform: "ios"))
/// try await client.engine.save(customer)        // offline edit
/// let report = try await client.sync()           // push, pull, renew the lease
/// ```
public actor RapportClient {
    /// The client's files.
    public nonisolated let directory: ClientDirectory
    /// The encrypted store (query it directly; edit through ``engine``).
    public nonisolated let store: EncryptedStore
    /// The sync engine (edits, status, conflicts, rejections).
    public nonisolated let engine: SyncEngine
    /// The session (tokens, lease, server).
    public nonisolated let session: SessionManager
    /// Who is signed in.
    public nonisolated let staff: SignedInUser
    /// This device.
    public nonisolated let device: DeviceDescription
    /// The server this device syncs with.
    public nonisolated var server: ServerEndpoint { session.http.server }
    let keychain: any DeviceKeychain
    let options: ClientOptions
    var wiped = false

    init(
        directory: ClientDirectory, store: EncryptedStore, engine: SyncEngine, session: SessionManager, staff: SignedInUser,
        device: DeviceDescription, keychain: any DeviceKeychain, options: ClientOptions
    ) {
        self.directory = directory
        self.store = store
        self.engine = engine
        self.session = session
        self.staff = staff
        self.device = device
        self.keychain = keychain
        self.options = options
    }

    // MARK: - Sign in and open

    /// Signs in, registers this device and opens (or creates) its encrypted store in `directory`.
    ///
    /// The device id is kept from an earlier session in the folder, so signing in again after a
    /// session expired reuses the device and its store.
    ///
    /// - Throws: ``ClientError``: ``ClientError/Code/invalidCredentials``,
    ///   ``ClientError/Code/rateLimited``, ``ClientError/Code/accountLocked``,
    ///   ``ClientError/Code/wiped`` (the device was revoked), ``ClientError/Code/unreachable``,
    ///   ``ClientError/Code/sessionMismatch`` if the folder holds another person's data.
    public static func signIn(
        server: ServerEndpoint, loginName: String, password: String, directory: ClientDirectory,
        device: DeviceDescription, options: ClientOptions = ClientOptions()
    ) async throws -> RapportClient {
        try createFolder(directory)
        let keychain = options.keychain ?? FileKeychain(path: directory.deviceKey)
        let previous = try? SavedSession.load(from: directory.session, keychain: keychain)
        var device = device
        if let previous { device.id = previous.device.id }
        let http = try ClientHTTP(server: server, caFile: options.caFile, requestTimeoutSeconds: options.requestTimeoutSeconds)
        do {
            let body = try SessionManager.encode(SignInRequest(loginName: loginName, password: password, device: device))
            let reply = try await http.send(.POST, "/v1/auth/login", body: body)
            if let previous, reply.status == 409 {
                throw ClientError(
                    .sessionMismatch,
                    "\(directory.path) is the device of \(previous.staff.name), registered to them; sign them out first (rapport-client logout) or use another folder",
                    serverCode: reply.errorBody?.error.code, httpStatus: reply.status)
            }
            guard reply.isSuccess else { throw SessionManager.failure(reply, doing: "signing in") }
            let response = try SessionManager.decode(SignInResponse.self, reply, doing: "signing in")
            if let previous, previous.staff.id != response.staff.id {
                throw ClientError(
                    .sessionMismatch,
                    "\(directory.path) holds the data of \(previous.staff.name); sign them out first (rapport-client logout) or use another folder")
            }
            device.id = response.deviceId
            var saved = SavedSession(
                server: server, device: device, staff: response.staff, tokens: response.tokens, lease: response.lease,
                leaseExpiresAt: SessionManager.localExpiry(of: response.lease, reply: reply, now: options.now()), now: options.now())
            try saved.save(to: directory.session, keychain: keychain)
            guard let leaseKey = saved.leaseKey else {
                throw ClientError(.unexpectedResponse, "the server's lease key is not 32 bytes of base64; check that client and server versions match")
            }
            let session = SessionManager(session: saved, http: http, keychain: keychain, path: directory.session, now: options.now)
            let store = try await openOrCreateStore(directory, key: leaseKey, options: options)
            return try await make(directory: directory, store: store, session: session, keychain: keychain, options: options)
        } catch {
            await http.shutdown()
            throw error
        }
    }

    /// Opens the signed-in device in `directory`, offline if the key lease is still valid.
    ///
    /// When the lease has ended (or the clock was set back by more than an hour), the client
    /// renews it with the server first; offline, the store stays locked.
    ///
    /// - Throws: ``ClientError/Code/notSignedIn``; ``ClientError/Code/leaseExpired`` when the
    ///   lease ended and the server cannot be reached; ``ClientError/Code/wiped`` when the server
    ///   says the device was revoked (the store is then crypto-shredded);
    ///   ``ClientError/Code/sessionExpired`` when the lease must be renewed but the session
    ///   cannot be (sign in again: the store is kept); `StoreError` for a damaged store.
    public static func open(directory: ClientDirectory, options: ClientOptions = ClientOptions()) async throws -> RapportClient {
        let keychain = options.keychain ?? FileKeychain(path: directory.deviceKey)
        guard let saved = try SavedSession.load(from: directory.session, keychain: keychain) else {
            throw ClientError(.notSignedIn, "no one is signed in in \(directory.path); sign in first (rapport-client login)")
        }
        let http = try ClientHTTP(server: saved.server, caFile: options.caFile, requestTimeoutSeconds: options.requestTimeoutSeconds)
        let session = SessionManager(session: saved, http: http, keychain: keychain, path: directory.session, now: options.now)
        do {
            var leaseKey = try await session.usableLeaseKey()
            if leaseKey == nil {
                if let failure = await renew(session) {
                    if failure.code == .unreachable {
                        throw ClientError(
                            .leaseExpired,
                            "this device has not reached the server since \(saved.lastContactAt.map(RapportJSON.string(from:)) ?? "sign-in") and its key lease ended at \(RapportJSON.string(from: saved.leaseExpiresAt)); connect to the network and open again")
                    }
                    if failure.code == .wiped { destroy(directory, keychain: keychain) }
                    throw failure
                }
                leaseKey = try await session.usableLeaseKey()
            }
            guard let leaseKey else {
                throw ClientError(.leaseExpired, "the device clock is behind the last time this device saw; correct the clock and open again")
            }
            let store = try await openOrCreateStore(directory, key: leaseKey, options: options)
            return try await make(directory: directory, store: store, session: session, keychain: keychain, options: options)
        } catch {
            await http.shutdown()
            throw error
        }
    }

    /// Renews the lease; the failure, if any (typed `catch` clauses crash this compiler here).
    static func renew(_ session: SessionManager) async -> ClientError? {
        do {
            try await session.renewLease()
            return nil
        } catch {
            return error
        }
    }

    static func make(
        directory: ClientDirectory, store: EncryptedStore, session: SessionManager, keychain: any DeviceKeychain, options: ClientOptions
    ) async throws -> RapportClient {
        let device = await session.device
        let engine = try await SyncEngine(
            store: store, transport: HTTPSyncTransport(session: session), deviceId: device.id, sleeper: options.sleeper,
            configuration: options.sync)
        return RapportClient(
            directory: directory, store: store, engine: engine, session: session, staff: await session.staff, device: device,
            keychain: keychain, options: options)
    }

    static func openOrCreateStore(_ directory: ClientDirectory, key: ClientKey, options: ClientOptions) async throws -> EncryptedStore {
        if SecureFile.exists(directory.store) || SecureFile.exists(directory.store + ".keys") {
            do {
                return try await EncryptedStore.open(at: directory.store, credential: .platformKey(key), configuration: options.store)
            } catch let error as StoreError where error.code == .wrongKey || error.code == .notARapportStore || error.code == .keyFileMismatch {
                // A store this device's lease does not open is another registration's: unreadable
                // to us, so it is shredded and the data comes again from the server.
                EncryptedStore.destroy(at: directory.store)
            }
        }
        return try await EncryptedStore.create(at: directory.store, credentials: [.platformKey(key)], configuration: options.store)
    }

    static func createFolder(_ directory: ClientDirectory) throws(ClientError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory.path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ClientError(.local, "cannot create the folder \(directory.path) (\(error)); check the path and permissions")
        }
    }

    /// Crypto-shreds everything in the folder: store first, then session and device key.
    static func destroy(_ directory: ClientDirectory, keychain: any DeviceKeychain) {
        EncryptedStore.destroy(at: directory.store)
        SecureFile.shred(at: directory.session)
        keychain.destroy()
    }

    // MARK: - Sync

    /// Pushes local edits, pulls every page, and renews the key lease when half of it has
    /// passed.
    ///
    /// - Throws: ``ClientError/Code/wiped`` after the server ordered a wipe (the store and
    ///   session are gone); otherwise the engine's `SyncError` (`transport` when offline — nothing
    ///   is lost; `unauthorized` when the session expired — sign in again).
    @discardableResult
    public func sync() async throws -> SyncReport {
        try checkUsable()
        let report: SyncReport
        do {
            report = try await engine.sync()
        } catch let error as SyncError where error.code == .wipeRequired {
            try await finishWipe()
            throw ClientError(.wiped, error.wipe?.message ?? error.message)
        }
        try? await renewLeaseIfDue()
        return report
    }

    /// Renews the key lease now.
    @discardableResult
    public func renewLease() async throws -> Date {
        try checkUsable()
        if let failure = await Self.renew(session) {
            if failure.code == .wiped { try await finishWipe() }
            throw failure
        }
        return await session.leaseExpiresAt
    }

    func renewLeaseIfDue() async throws {
        // Renew once less than 2/3 of a 72 h lease remains (i.e. a day after the last renewal).
        if await session.leaseExpiresAt.timeIntervalSince(options.now()) < 48 * 3600 {
            try await renewLease()
        }
    }

    // MARK: - Live channel

    /// The live channel's events, reconnecting until the consuming task is cancelled.
    public nonisolated func liveEvents() -> AsyncStream<LiveEvent> {
        LiveChannel(session: session).events()
    }

    /// Syncs whenever the live channel reports changes (and once at the start), until the
    /// calling task is cancelled or the device is wiped. `onSync` sees each result.
    public func syncOnChanges(_ onSync: @escaping @Sendable (Result<SyncReport, any Error>) async -> Void) async {
        for await event in liveEvents() {
            switch event {
            case .connected, .changes:
                do {
                    await onSync(.success(try await sync()))
                } catch {
                    await onSync(.failure(error))
                    if wiped { return }
                }
            case .wipe(let instruction):
                try? await finishWipe()
                await onSync(.failure(ClientError(.wiped, instruction.message)))
                return
            case .disconnected(let reason, let retry):
                if retry < 0 {
                    await onSync(.failure(ClientError(.sessionExpired, reason)))
                    return
                }
            }
            if Task.isCancelled { return }
        }
    }

    // MARK: - Ending

    /// Signs out: ends the session on the server and crypto-shreds the store, the session and
    /// the device key.
    ///
    /// - Parameter discardingPendingEdits: also when local edits have not been pushed yet.
    /// - Throws: ``ClientError/Code/invalidArgument`` when edits are pending and not discarded.
    public func signOut(discardingPendingEdits: Bool = false) async throws {
        if !wiped {
            let pending = try await store.outbox().count
            if pending > 0, !discardingPendingEdits {
                throw ClientError(.invalidArgument, "\(pending) local edits are not synced yet; sync first, or sign out discarding them")
            }
            await session.logout()
            try? await store.close()
        }
        wiped = true
        Self.destroy(directory, keychain: keychain)
        await session.http.shutdown()
    }

    /// Closes the store and the connections; the session stays for the next ``open(directory:options:)``.
    public func close() async {
        if !wiped { try? await store.close() }
        await session.http.shutdown()
    }

    /// Whether the device was wiped.
    public var isWiped: Bool { wiped }

    func finishWipe() async throws {
        wiped = true
        try? await store.wipe()
        Self.destroy(directory, keychain: keychain)
    }

    func checkUsable() throws(ClientError) {
        if wiped { throw ClientError(.wiped, "this device was wiped; sign in again") }
    }
}
