import Foundation

/// The server's answer to one mutation (`Docs/Protocol.md`, "Push results").
public struct MutationResult: Codable, Sendable, Hashable {
    /// The mutation this answers.
    public var clientMutationId: UUID
    /// Applied, merged or rejected.
    public var status: MutationStatus
    /// The record version the mutation produced (absent when rejected).
    public var version: Int64?
    /// The record's current server state: after the mutation when applied or merged, the
    /// truth to roll back to when rejected. Absent when the record does not exist (or the
    /// caller may not see it: then the client purges it).
    public var record: SyncRecord?
    /// For `merged`: every field where an edit was lost.
    public var conflicts: [FieldConflict]?
    /// For `rejected`: why.
    public var rejection: Rejection?
    /// `true` when the mutation id had been applied before (a replay); nothing changed now.
    public var replayed: Bool?

    /// Creates a result.
    public init(
        clientMutationId: UUID, status: MutationStatus, version: Int64? = nil, record: SyncRecord? = nil,
        conflicts: [FieldConflict]? = nil, rejection: Rejection? = nil, replayed: Bool? = nil
    ) {
        self.clientMutationId = clientMutationId
        self.status = status
        self.version = version
        self.record = record
        self.conflicts = conflicts
        self.rejection = rejection
        self.replayed = replayed
    }
}
