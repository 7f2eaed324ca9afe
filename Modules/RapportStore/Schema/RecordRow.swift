import Foundation
import GRDB

/// A row of the `record` table: one local record (its current local state).
struct RecordRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "record"

    var seq: Int64?
    var id: UUID
    var kind: String
    var ownerId: UUID?
    var teamId: UUID?
    var customerId: UUID?
    var tier: String?
    var name: String?
    /// Milliseconds since 1970.
    var updatedAt: Int64
    var deleted: Bool
    var version: Int64
    var document: String
    /// The row is also the server state (no `server_shadow` row while this holds).
    var inSync: Bool

    enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let ownerId = Column(CodingKeys.ownerId)
        static let teamId = Column(CodingKeys.teamId)
        static let customerId = Column(CodingKeys.customerId)
        static let tier = Column(CodingKeys.tier)
        static let name = Column(CodingKeys.name)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let deleted = Column(CodingKeys.deleted)
        static let version = Column(CodingKeys.version)
        static let document = Column(CodingKeys.document)
        static let inSync = Column(CodingKeys.inSync)
    }
}
