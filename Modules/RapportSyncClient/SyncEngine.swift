import Foundation
import RapportModels
import RapportProtocol
import RapportStore

/// The client side of sync: drives an ``EncryptedStore`` through pushes and pulls over a
/// ``SyncTransport`` (`Docs/Protocol.md`, "Client engine").
///
/// Make local edits through ``save(_:)`` and ``delete(_:id:)`` so each carries its HLC and
/// merge base; call ``sync()`` when online. A sync pushes the outbox in batches, applies each
/// result (acknowledged edits leave the outbox, rejected ones are rolled back and reported),
/// pulls every page (evictions purge records and their pending edits), and finishes with
/// another push if edits were made meanwhile. Retryable failures are retried with
/// exponential backoff through the injected ``SyncSleeper``. A `resetRequired` answer makes
/// the engine drop its server data and pull from scratch; a wipe instruction crypto-shreds the
/// store.
///
/// Crash safety: every step is one store transaction or idempotent on replay — a pushed
/// mutation keeps its id until its results are acknowledged in one transaction
/// (`EncryptedStore.acknowledge`; the server answers a replay with the first outcome), and a
/// pull page is applied together with its cursor (`EncryptedStore.applyPage`), which lives
/// inside the encrypted store. Refused edits are kept in the store until
/// ``clearReports()``, so they survive a restart.
///
/// ```swift
/// let engine = try await SyncEngine(store: store, transport: transport, deviceId: device)
/// try await engine.save(customer)
/// let report = try await engine.sync()
/// ```
public actor SyncEngine {
    /// The store.
    public nonisolated let store: EncryptedStore
    /// The transport.
    public nonisolated let transport: any SyncTransport
    /// This device's id (its HLC node).
    public nonisolated let deviceId: UUID
    /// The configuration.
    public nonisolated let configuration: SyncEngineConfiguration
    let wallClock: any SyncWallClock
    let sleeper: any SyncSleeper
    var clock: HybridLogicalClock
    var continuations: [UUID: AsyncStream<SyncStatus>.Continuation] = [:]

    /// The current status.
    public internal(set) var status: SyncStatus
    /// Conflicts reported since the last ``clearReports()`` (kept in the store across restarts).
    public internal(set) var conflicts: [ReportedConflict] = []
    /// Paths the server masks for this device, by kind (from the `masked` lists of pulled
    /// changes and pushed results; kept in the store). Show them as masked; do not edit them.
    public internal(set) var maskedPaths: [EntityKind: Set<String>] = [:]
    /// Rejected edits not yet dismissed with ``clearReports()`` (kept in the store across
    /// restarts).
    public internal(set) var rejections: [RejectedEdit] = []

    /// Creates an engine; the clock resumes after the newest edit in the outbox, and refused
    /// edits not yet dismissed are loaded from the store.
    public init(
        store: EncryptedStore, transport: any SyncTransport, deviceId: UUID,
        wallClock: any SyncWallClock = SystemWallClock(), sleeper: any SyncSleeper = TaskSleeper(),
        configuration: SyncEngineConfiguration = SyncEngineConfiguration()
    ) async throws {
        self.store = store
        self.transport = transport
        self.deviceId = deviceId
        self.wallClock = wallClock
        self.sleeper = sleeper
        self.configuration = configuration
        let outbox = try await store.outbox()
        let newest = outbox.compactMap { try? HLCTimestamp(parsing: $0.clock) }.max()
        clock = HybridLogicalClock(node: deviceId.uuidString.lowercased(), resumingAfter: newest)
        rejections = try await store.rejectedMutations().map(RejectedEdit.init(stored:))
        conflicts = (try await store.appState(Self.conflictsKey)).flatMap(Self.decodeConflicts) ?? []
        if let text = try await store.appState(Self.maskedKey),
            let saved = try? RapportJSON.decoder().decode([EntityKind: Set<String>].self, from: Data(text.utf8))
        {
            maskedPaths = saved
        }
        status = SyncStatus(
            lastSuccessMillis: try await store.lastSyncSuccessMillis(), pendingCount: outbox.count,
            conflictCount: conflicts.count, rejectionCount: rejections.count)
    }

    /// A stream of status changes, starting with the current status.
    public func statusUpdates() -> AsyncStream<SyncStatus> {
        let (stream, continuation) = AsyncStream.makeStream(of: SyncStatus.self, bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        continuations[id] = continuation
        continuation.yield(status)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeContinuation(id) }
        }
        return stream
    }

    /// Forgets the reported conflicts and rejections (the user has seen them); the stored
    /// refusals are removed too.
    public func clearReports() async throws {
        try await store.removeRejectedMutations(rejections.map(\.clientMutationId))
        try await store.setAppState(Self.conflictsKey, to: nil)
        conflicts = []
        rejections = []
        update { $0.conflictCount = 0; $0.rejectionCount = 0 }
    }

    // MARK: - Local edits

    /// Saves a local create or edit with its HLC; the store keeps each field's merge base
    /// (`OutboxEntry.baseFields`). See `EncryptedStore.save`.
    @discardableResult
    public func save<E: Entity>(_ entity: E) async throws -> OutboxEntry? {
        let hlc = clock.tick(wallMillis: wallClock.nowMillis())
        let entry = try await store.save(entity, clock: hlc.description)
        await refreshPending()
        return entry
    }

    /// Deletes a record locally; see `EncryptedStore.delete`.
    public func delete(_ kind: EntityKind, id: UUID) async throws {
        let hlc = clock.tick(wallMillis: wallClock.nowMillis())
        try await store.delete(kind, id: id, clock: hlc.description)
        await refreshPending()
    }

    // MARK: - Reported conflicts (kept in the store, like refusals)

    static let conflictsKey = "sync.reportedConflicts"

    static let maskedKey = "sync.maskedPaths"

    /// Adds masked paths reported by the server; saves them when the set grew.
    func noteMasked(_ kind: EntityKind, _ paths: [String]?) async {
        guard let paths, !paths.isEmpty, !Set(paths).isSubset(of: maskedPaths[kind] ?? []) else { return }
        maskedPaths[kind, default: []].formUnion(paths)
        if let data = try? SyncWire.encode(maskedPaths) {
            try? await store.setAppState(Self.maskedKey, to: String(decoding: data, as: UTF8.self))
        }
    }

    static func encodeConflicts(_ conflicts: [ReportedConflict]) -> String {
        (try? SyncWire.encode(conflicts)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeConflicts(_ text: String) -> [ReportedConflict]? {
        try? RapportJSON.decoder().decode([ReportedConflict].self, from: Data(text.utf8))
    }

    // MARK: - Status

    func update(_ change: (inout SyncStatus) -> Void) {
        change(&status)
        for continuation in continuations.values { continuation.yield(status) }
    }

    func refreshPending() async {
        if let count = try? await store.outbox().count { update { $0.pendingCount = count } }
    }

    private func removeContinuation(_ id: UUID) { continuations[id] = nil }
}
