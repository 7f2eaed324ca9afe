import Foundation
import RapportModels

/// The last-known server state of a record: the base of a three-way merge.
public struct ServerShadow: Sendable, Hashable {
    /// The record's kind.
    public var kind: EntityKind
    /// The record id.
    public var id: UUID
    /// The server version.
    public var version: Int64
    /// The server's JSON document at that version.
    public var json: String
}
