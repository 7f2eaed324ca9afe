import Foundation
import RapportModels

/// A typed query over the local records of one kind.
///
/// ```swift
/// let mine = try await store.records(RecordQuery(kind: .customer, ownerId: me, namePrefix: "Li"))
/// ```
public struct RecordQuery: Sendable, Hashable {
    /// How results are ordered.
    public enum Order: Sendable, Hashable {
        /// By name (case-insensitive), then id.
        case name
        /// Most recently updated first.
        case recentlyUpdated
    }

    /// The kind of record.
    public var kind: EntityKind
    /// Only records of this owner.
    public var ownerId: UUID?
    /// Only records of this team.
    public var teamId: UUID?
    /// Only records of this customer.
    public var customerId: UUID?
    /// Only records in this tier (a `ValueTier` raw value).
    public var tier: String?
    /// Only records whose name starts with this (case-insensitive).
    public var namePrefix: String?
    /// Only records updated at or after this time.
    public var updatedSince: Date?
    /// Only records whose JSON document has `value` at `path` (a SQLite JSON path such as
    /// `$.individual.city`); a full scan, for fields without an index.
    public var jsonField: JSONFieldFilter?
    /// Include local tombstones.
    public var includeDeleted: Bool
    /// Result order.
    public var order: Order
    /// At most this many records.
    public var limit: Int?

    /// A JSON field equality filter.
    public struct JSONFieldFilter: Sendable, Hashable {
        /// A SQLite JSON path, e.g. `$.status`.
        public var path: String
        /// The value to compare with (text).
        public var value: String

        /// Creates a filter.
        public init(path: String, value: String) {
            self.path = path
            self.value = value
        }
    }

    /// Creates a query; every filter is optional.
    public init(
        kind: EntityKind, ownerId: UUID? = nil, teamId: UUID? = nil, customerId: UUID? = nil, tier: String? = nil,
        namePrefix: String? = nil, updatedSince: Date? = nil, jsonField: JSONFieldFilter? = nil,
        includeDeleted: Bool = false, order: Order = .name, limit: Int? = nil
    ) {
        self.kind = kind
        self.ownerId = ownerId
        self.teamId = teamId
        self.customerId = customerId
        self.tier = tier
        self.namePrefix = namePrefix
        self.updatedSince = updatedSince
        self.jsonField = jsonField
        self.includeDeleted = includeDeleted
        self.order = order
        self.limit = limit
    }
}
