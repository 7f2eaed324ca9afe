import Foundation
import RapportModels

/// A small structured filter over ``CustomerAccessFacts`` describing every customer a principal
/// may see — not SQL, so each storage engine translates it into its own query (and can use its
/// indexes), and ``matches(_:)`` evaluates it in memory.
///
/// Leaves map to indexed columns; see `Docs/Security.md` for the SQL shape of each:
///
/// | case | meaning |
/// | --- | --- |
/// | `ownerIn(S)` | `ownerId IN S` |
/// | `teamIn(S)` | `teamId IN S` |
/// | `customerIdIn(S)` | `id IN S` |
/// | `keyAnchorIn(S)` | `COALESCE(accountManagerId, ownerId) IN S` |
/// | `tierIn(S)` | effective tier `IN S` (a missing tier matches nothing) |
/// | `hasTag(t)` | the customer carries tag `t` |
/// | `openComplaintAssignedTo(p)` | an open complaint of the customer is assigned to `p` |
public indirect enum ScopePredicate: Hashable, Codable, Sendable {
    /// Every customer.
    case all
    /// No customer.
    case none
    /// Customers owned by one of these staff.
    case ownerIn(Set<UUID>)
    /// Customers of one of these teams.
    case teamIn(Set<UUID>)
    /// These customers.
    case customerIdIn(Set<UUID>)
    /// Customers whose account manager (or, without one, owner) is one of these staff.
    case keyAnchorIn(Set<UUID>)
    /// Customers whose effective tier is one of these.
    case tierIn(Set<ValueTier>)
    /// Customers carrying this tag.
    case hasTag(String)
    /// Customers with an open complaint assigned to this person.
    case openComplaintAssignedTo(UUID)
    /// Every sub-predicate holds (an empty list is ``all``).
    case and([ScopePredicate])
    /// At least one sub-predicate holds (an empty list is ``none``).
    case or([ScopePredicate])
    /// The sub-predicate does not hold.
    case not(ScopePredicate)

    /// Evaluates the predicate against one customer.
    public func matches(_ customer: CustomerAccessFacts) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .ownerIn(let owners): owners.contains(customer.ownerId)
        case .teamIn(let teams): customer.teamId.map(teams.contains) ?? false
        case .customerIdIn(let ids): ids.contains(customer.id)
        case .keyAnchorIn(let anchors): anchors.contains(customer.keyAnchor)
        case .tierIn(let tiers): customer.tier.map(tiers.contains) ?? false
        case .hasTag(let tag): customer.tags.contains(tag)
        case .openComplaintAssignedTo(let staffId): customer.openComplaintAssignees.contains(staffId)
        case .and(let parts): parts.allSatisfy { $0.matches(customer) }
        case .or(let parts): parts.contains { $0.matches(customer) }
        case .not(let part): !part.matches(customer)
        }
    }

    /// The predicate for a segment: every condition the segment sets.
    public static func segment(_ segment: CustomerSegment) -> ScopePredicate {
        var parts: [ScopePredicate] = []
        if let tag = segment.tag { parts.append(.hasTag(tag)) }
        if let tier = segment.tier { parts.append(.tierIn([tier])) }
        if let teamId = segment.teamId { parts.append(.teamIn([teamId])) }
        return ScopePredicate.and(parts).simplified()
    }

    /// An equivalent predicate without empty sets, nested lists of the same kind, or constant
    /// branches; `.or([])` becomes ``none`` and `.and([])` becomes ``all``.
    public func simplified() -> ScopePredicate {
        switch self {
        case .ownerIn(let set), .teamIn(let set), .customerIdIn(let set), .keyAnchorIn(let set):
            return set.isEmpty ? .none : self
        case .tierIn(let set):
            return set.isEmpty ? .none : self
        case .all, .none, .hasTag, .openComplaintAssignedTo:
            return self
        case .not(let part):
            switch part.simplified() {
            case .all: return .none
            case .none: return .all
            case .not(let inner): return inner
            case let other: return .not(other)
            }
        case .and(let parts):
            var flat: [ScopePredicate] = []
            for part in parts.map({ $0.simplified() }) {
                switch part {
                case .all: continue
                case .none: return .none
                case .and(let inner): flat.append(contentsOf: inner)
                default: flat.append(part)
                }
            }
            return flat.isEmpty ? .all : flat.count == 1 ? flat[0] : .and(flat)
        case .or(let parts):
            var flat: [ScopePredicate] = []
            for part in parts.map({ $0.simplified() }) {
                switch part {
                case .none: continue
                case .all: return .all
                case .or(let inner): flat.append(contentsOf: inner)
                default: flat.append(part)
                }
            }
            return flat.isEmpty ? .none : flat.count == 1 ? flat[0] : .or(flat)
        }
    }
}
