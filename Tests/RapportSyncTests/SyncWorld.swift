import Foundation
import RapportCrypto
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient
import RapportSyncServer
import RapportTesting
import Synchronization

/// A server core over in-memory storage with an owner-based scope, and devices with real
/// encrypted stores talking to it through the in-process transport.
final class SyncWorld: Sendable {
    static let team = UUID(uuidString: "B0000000-0000-4000-8000-000000000001")!
    static let start: Int64 = 1_772_358_600_000

    let storage = InMemorySyncStorage()
    let clock = ManualWallClock(startMillis: SyncWorld.start)
    let revoked = Revocations()
    let pushed = PushRecorder()
    let directory: TemporaryDirectory
    let server: SyncServer

    init(limits: SyncLimits = SyncLimits()) throws {
        directory = try TemporaryDirectory(prefix: "rapport-sync")
        let storage = self.storage
        let revoked = self.revoked
        let scope = ClosureScopeProvider(
            standing: { principal in
                revoked.contains(principal.deviceId)
                    ? .wipe(WipeInstruction(reason: .deviceRevoked, message: "this device was revoked; its data has been erased"))
                    : .active
            },
            visible: { principal in
                Set(await storage.liveRecords().filter { $0.ownerId == principal.staffId }.map(\.key))
            },
            evictionReason: { _, _ in .reassigned },
            authorize: { write, principal in
                let owner = (write.before ?? write.after)?["ownerId"]?.stringValue
                return owner == principal.staffId.uuidString ? .allowed : .denied("only the owner may change this customer; ask them")
            })
        server = SyncServer(
            storage: storage, scope: scope, clock: clock, configuration: SyncServerConfiguration(limits: limits))
    }

    deinit { directory.remove() }

    /// A device of `staff` with a fresh encrypted store.
    func device(_ name: String, staff: UUID, engine configuration: SyncEngineConfiguration = SyncEngineConfiguration()) async throws -> SimDevice {
        let deviceId = UUID()
        let path = directory.path("\(name).rapportdb")
        let store = try await EncryptedStore.create(
            at: path, credentials: [.passcode("1234")], configuration: StoreConfiguration(scrypt: .testing, pageCacheKiB: 256, maximumReaderCount: 2))
        let device = SimDevice(world: self, name: name, staff: staff, deviceId: deviceId, path: path, store: store)
        try await device.startEngine(configuration)
        return device
    }

    /// A customer owned by `owner`.
    static func customer(_ id: UUID = UUID(), owner: UUID, name: String = "王芳", points: Int64 = 0, tags: TagSet = []) -> Customer {
        Customer(
            id: id, kind: .individual, name: name, sourceChannel: .referral, ownerId: owner, teamId: team,
            tags: tags, loyaltyPoints: points, createdAt: Date(timeIntervalSince1970: 1_772_000_000),
            individual: IndividualProfile())
    }

    /// The server's current record, as fields.
    func serverFields(_ id: UUID) async -> FieldMap? {
        await storage.record(RecordKey(.customer, id)).flatMap { $0.deleted ? nil : $0.fields }
    }
}

/// One simulated device: its store, engine and transport.
final class SimDevice: @unchecked Sendable {
    let world: SyncWorld
    let name: String
    let staff: UUID
    let deviceId: UUID
    let path: String
    var store: EncryptedStore
    var engine: SyncEngine!
    var transport: FlakyTransport!
    let sleeper = RecordingSleeper()

    init(world: SyncWorld, name: String, staff: UUID, deviceId: UUID, path: String, store: EncryptedStore) {
        self.world = world
        self.name = name
        self.staff = staff
        self.deviceId = deviceId
        self.path = path
        self.store = store
    }

    var principal: SyncPrincipal { SyncPrincipal(staffId: staff, deviceId: deviceId) }

    func startEngine(_ configuration: SyncEngineConfiguration = SyncEngineConfiguration()) async throws {
        transport = FlakyTransport(InProcessTransport(server: world.server, principal: principal), recorder: world.pushed)
        engine = try await SyncEngine(
            store: store, transport: transport, deviceId: deviceId,
            wallClock: world.clock, sleeper: sleeper, configuration: configuration)
    }

    /// Closes and reopens the store and makes a new engine: what an app restart does.
    func restart() async throws {
        try await store.close()
        store = try await EncryptedStore.open(
            at: path, credential: .passcode("1234"), configuration: StoreConfiguration(scrypt: .testing, pageCacheKiB: 256, maximumReaderCount: 2))
        try await startEngine(engine.configuration)
    }

    func customer(_ id: UUID) async throws -> Customer? { try await store.entity(Customer.self, id: id) }

    /// Every local customer as fields, by id.
    func localFields() async throws -> [UUID: FieldMap] {
        var result: [UUID: FieldMap] = [:]
        for document in try await store.records(RecordQuery(kind: .customer, includeDeleted: true)) {
            result[document.id] = try document.decode(as: Customer.self).fieldMap()
        }
        return result
    }
}

/// Wraps a transport and can fail on purpose: before the request reaches the server (the
/// network is down) or after the server answered (the response is lost).
final class FlakyTransport: SyncTransport, Sendable {
    enum Failure: Sendable { case none, beforeServer, afterServer }
    let inner: InProcessTransport
    let recorder: PushRecorder
    let plan = Mutex<[Failure]>([])
    let calls = Mutex<Int>(0)

    init(_ inner: InProcessTransport, recorder: PushRecorder) {
        self.inner = inner
        self.recorder = recorder
    }

    /// The next calls fail as listed, then calls succeed again.
    func failNext(_ failures: [Failure]) { plan.withLock { $0 = failures } }

    private func next() -> Failure {
        calls.withLock { $0 += 1 }
        return plan.withLock { $0.isEmpty ? .none : $0.removeFirst() }
    }

    func push(_ request: PushRequest) async throws -> PushResponse {
        let failure = next()
        if failure == .beforeServer { throw URLError(.notConnectedToInternet) }
        recorder.record(request.mutations)
        let response = try await inner.push(request)
        if failure == .afterServer { throw URLError(.networkConnectionLost) }
        return response
    }

    func pull(_ request: PullRequest) async throws -> PullResponse {
        let failure = next()
        if failure == .beforeServer { throw URLError(.notConnectedToInternet) }
        let response = try await inner.pull(request)
        if failure == .afterServer { throw URLError(.networkConnectionLost) }
        return response
    }
}

/// A sleeper that returns at once and remembers what it was asked to wait.
final class RecordingSleeper: SyncSleeper {
    let delays = Mutex<[Int64]>([])
    func sleep(milliseconds: Int64) async { delays.withLock { $0.append(milliseconds) } }
}

/// Devices the test has revoked.
final class Revocations: Sendable {
    private let ids = Mutex<Set<UUID>>([])
    func revoke(_ id: UUID) { ids.withLock { _ = $0.insert(id) } }
    func contains(_ id: UUID) -> Bool { ids.withLock { $0.contains(id) } }
}

/// Every mutation that reached the server, by id (replays collapse).
final class PushRecorder: Sendable {
    private let mutations = Mutex<[UUID: Mutation]>([:])
    private let order = Mutex<[UUID]>([])
    func record(_ batch: [Mutation]) {
        for mutation in batch {
            let isNew = mutations.withLock { store in
                defer { store[mutation.clientMutationId] = mutation }
                return store[mutation.clientMutationId] == nil
            }
            if isNew { order.withLock { $0.append(mutation.clientMutationId) } }
        }
    }
    /// The distinct mutations in the order they first reached the server.
    var all: [Mutation] {
        let ids = order.withLock { $0 }
        let map = mutations.withLock { $0 }
        return ids.compactMap { map[$0] }
    }
}
