import Foundation
import RapportModels
import RapportProtocol

/// The server side of sync, independent of HTTP: applies pushes, computes pull pages, and
/// enforces scope, limits, clocks and wipes over a ``SyncServerStorage`` and a
/// ``SyncScopeProvider`` (`Docs/Protocol.md`).
///
/// RapportServer decodes requests with ``SyncWire``, authenticates the device, calls
/// ``push(_:from:)`` or ``pull(_:from:)`` and encodes the answer (or a ``SyncErrorBody``).
///
/// ```swift
/// let server = SyncServer(storage: InMemorySyncStorage(), scope: scope, clock: SystemWallClock())
/// let response = try await server.push(request, from: principal)
/// ```
public actor SyncServer {
    /// The storage.
    public nonisolated let storage: any SyncServerStorage
    /// The access policy.
    public nonisolated let scope: any SyncScopeProvider
    /// The wall clock.
    public nonisolated let wallClock: any SyncWallClock
    /// The configuration.
    public nonisolated let configuration: SyncServerConfiguration
    var clock: HybridLogicalClock

    /// Creates a server core.
    public init(
        storage: any SyncServerStorage, scope: any SyncScopeProvider, clock: any SyncWallClock,
        configuration: SyncServerConfiguration = SyncServerConfiguration()
    ) {
        self.storage = storage
        self.scope = scope
        self.wallClock = clock
        self.configuration = configuration
        self.clock = HybridLogicalClock(node: configuration.clockNode)
    }

    /// The server's next HLC reading.
    func tick() -> HLCTimestamp { clock.tick(wallMillis: wallClock.nowMillis()) }

    /// Fails with ``SyncError/Code/wipeRequired`` if the device or its staff member is revoked.
    func checkStanding(_ principal: SyncPrincipal) async throws {
        if case .wipe(let instruction) = try await scope.standing(of: principal) {
            throw SyncError(.wipeRequired, instruction.message, wipe: instruction)
        }
    }

    /// The record as `principal` may see it (masked), or a bare tombstone.
    func view(_ record: StoredRecord, for principal: SyncPrincipal) async throws -> SyncRecord {
        if record.deleted {
            return SyncRecord(entity: record.key.kind, id: record.key.id, version: record.version, deleted: true, fields: [:])
        }
        let masked = try await scope.mask(record.fields, of: record.key, principal: principal)
        return SyncRecord(
            entity: record.key.kind, id: record.key.id, version: record.version, fields: masked.fields,
            masked: masked.masked.isEmpty ? nil : masked.masked.sorted())
    }

    static func timestamp(_ millis: Int64) -> JSONValue {
        .string(RapportJSON.string(from: Date(timeIntervalSince1970: Double(millis) / 1000)))
    }
}

extension SyncError {
    /// A scope provider's batch `mask` answered another number of records than it was asked:
    /// refuse the request rather than send records without their fields.
    static func maskCountMismatch(_ answered: Int, _ asked: Int) -> SyncError {
        SyncError(
            .unavailable,
            "the server's access policy masked \(answered) of \(asked) records; "
                + "this is a server fault, retry later and report it")
    }
}
