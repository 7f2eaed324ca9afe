import Foundation
import GRDB

/// A row of `outbox`: one local mutation waiting to be pushed.
struct OutboxRow: Codable, Sendable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "outbox"

    var seq: Int64?
    var mutationId: UUID
    var kind: String
    var recordId: UUID
    var operation: String
    var baseVersion: Int64
    /// JSON object: dotted field path → new value.
    var fields: String
    /// JSON object: dotted field path → value before the entry's first edit of it.
    var baseFields: String
    /// JSON object: dotted field path → clock of the edit that set it.
    var fieldClocks: String
    var clock: String
    var state: String
    /// Milliseconds since 1970.
    var createdAt: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) {
        seq = inserted.rowID
    }

    enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let mutationId = Column(CodingKeys.mutationId)
        static let recordId = Column(CodingKeys.recordId)
        static let state = Column(CodingKeys.state)
    }
}
