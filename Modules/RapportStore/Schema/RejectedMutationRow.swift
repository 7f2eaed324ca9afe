import Foundation
import GRDB

/// A row of `rejected_mutation`: a local edit the server refused, kept until the user has
/// seen it (see ``RejectedMutation``).
struct RejectedMutationRow: Codable, Sendable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "rejected_mutation"

    var mutationId: UUID
    var kind: String
    var recordId: UUID
    var operation: String
    /// JSON object: the values the edit wrote.
    var fields: String
    var reasonCode: String
    var message: String
    var field: String?
    /// The server's document the record was rolled back to, if any.
    var serverDocument: String?
    /// Milliseconds since 1970.
    var rejectedAt: Int64

    enum Columns {
        static let mutationId = Column(CodingKeys.mutationId)
        static let rejectedAt = Column(CodingKeys.rejectedAt)
    }
}
