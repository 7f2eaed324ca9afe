import Foundation
import RapportProtocol

/// What the server remembers of an applied (or rejected) mutation id, so a replay returns the
/// same answer and changes nothing.
public struct StoredMutationOutcome: Sendable, Hashable {
    /// The mutation id.
    public var clientMutationId: UUID
    /// Who sent it.
    public var principal: SyncPrincipal
    /// The record it addressed.
    public var key: RecordKey
    /// What happened.
    public var status: MutationStatus
    /// The version it produced.
    public var version: Int64?
    /// The conflicts reported.
    public var conflicts: [FieldConflict]?
    /// The rejection.
    public var rejection: Rejection?
    /// When (Unix ms), for retention.
    public var recordedAtMillis: Int64

    /// Creates an outcome.
    public init(
        clientMutationId: UUID, principal: SyncPrincipal, key: RecordKey, status: MutationStatus, version: Int64?,
        conflicts: [FieldConflict]?, rejection: Rejection?, recordedAtMillis: Int64
    ) {
        self.clientMutationId = clientMutationId
        self.principal = principal
        self.key = key
        self.status = status
        self.version = version
        self.conflicts = conflicts
        self.rejection = rejection
        self.recordedAtMillis = recordedAtMillis
    }
}
