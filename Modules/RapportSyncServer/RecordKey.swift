import Foundation
import RapportModels
import RapportProtocol

/// A record's identity across kinds: its kind and id.
public struct RecordKey: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The record's kind.
    public var kind: EntityKind
    /// The record's id.
    public var id: UUID

    /// Creates a key.
    public init(_ kind: EntityKind, _ id: UUID) {
        self.kind = kind
        self.id = id
    }

    /// Orders by id (then kind), so listings are deterministic.
    public static func < (lhs: RecordKey, rhs: RecordKey) -> Bool {
        if lhs.id != rhs.id { return lhs.id.uuidString < rhs.id.uuidString }
        return lhs.kind.rawValue < rhs.kind.rawValue
    }

    /// `kind/id`.
    public var description: String { "\(kind.rawValue)/\(id.uuidString)" }
}
