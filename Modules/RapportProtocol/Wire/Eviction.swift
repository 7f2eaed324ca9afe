import Foundation
import RapportModels

/// A record that left the device's scope: purge it, its shadow and its pending edits.
public struct Eviction: Codable, Sendable, Hashable {
    /// The record's kind.
    public var entity: EntityKind
    /// The record's id.
    public var recordId: UUID
    /// Why it left.
    public var reason: EvictionReason

    /// Creates an eviction.
    public init(entity: EntityKind, recordId: UUID, reason: EvictionReason) {
        self.entity = entity
        self.recordId = recordId
        self.reason = reason
    }
}
