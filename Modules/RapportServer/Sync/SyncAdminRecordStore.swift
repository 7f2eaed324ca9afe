import Foundation
import RapportModels
import RapportProtocol
import RapportSyncServer

/// The admin API's ``AdminRecordStore`` over the server's sync storage: reads live records
/// straight from the records table (complete, whatever history has been purged) and writes
/// through ``SyncService/serverWrite(_:fields:actor:)``, so a reassignment or a canary
/// customer is validated, versioned, in the change log, evicted from or delivered to devices
/// on their next pull, and announced on the live channel.
public struct SyncAdminRecordStore: AdminRecordStore {
    /// The sync service.
    public let sync: SyncService

    /// Wraps the sync service.
    public init(sync: SyncService) {
        self.sync = sync
    }

    /// Every live record of `kinds`.
    public func liveRecords(of kinds: Set<EntityKind>) async throws -> [StoredRecord] {
        try await sync.storage.liveRecords(of: kinds)
    }

    /// Writes as the server, attributed to `actor`.
    public func serverWrite(_ key: RecordKey, fields: FieldMap, actor: UUID?) async throws {
        try await sync.serverWrite(key, fields: fields, actor: actor)
    }
}
