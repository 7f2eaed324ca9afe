import Foundation
import RapportModels
import RapportProtocol
import RapportSyncServer

/// The customer records the admin API works on: read every live record of some kinds, and
/// write fields on the server's own authority (reassignment, canary customers) so that the
/// change reaches devices through sync like any other.
public protocol AdminRecordStore: Sendable {
    /// Every live (not deleted) record of the given kinds.
    func liveRecords(of kinds: Set<EntityKind>) async throws -> [StoredRecord]
    /// Writes `fields` into the record (creating it when new) as the server, attributed to `actor`.
    func serverWrite(_ key: RecordKey, fields: FieldMap, actor: UUID?) async throws
}
