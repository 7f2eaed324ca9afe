import Foundation
import RapportModels

/// An in-memory, indexed set of customers that answers a ``ScopePredicate`` the way a database
/// with indexes on owner, team, id, key anchor, tier, tag and complaint assignee would: it looks
/// up candidates from the most selective indexed branch and filters only those, so the cost of
/// a listing grows with what the principal can see, not with the size of the customer base.
///
/// Storage engines translate the predicate into their own query; this type is the reference
/// they are tested against, and what the benchmark measures.
public struct CustomerFactsIndex: Sendable {
    /// Every customer, in insertion order.
    public let customers: [CustomerAccessFacts]
    private let byId: [UUID: Int]
    private let byOwner: [UUID: [Int]]
    private let byTeam: [UUID: [Int]]
    private let byAnchor: [UUID: [Int]]
    private let byTier: [ValueTier: [Int]]
    private let byTag: [String: [Int]]
    private let byAssignee: [UUID: [Int]]

    /// Indexes `customers`.
    public init(_ customers: [CustomerAccessFacts]) {
        self.customers = customers
        var byId: [UUID: Int] = [:]
        var byOwner: [UUID: [Int]] = [:]
        var byTeam: [UUID: [Int]] = [:]
        var byAnchor: [UUID: [Int]] = [:]
        var byTier: [ValueTier: [Int]] = [:]
        var byTag: [String: [Int]] = [:]
        var byAssignee: [UUID: [Int]] = [:]
        for (index, customer) in customers.enumerated() {
            byId[customer.id] = index
            byOwner[customer.ownerId, default: []].append(index)
            if let team = customer.teamId { byTeam[team, default: []].append(index) }
            byAnchor[customer.keyAnchor, default: []].append(index)
            if let tier = customer.tier { byTier[tier, default: []].append(index) }
            for tag in customer.tags { byTag[tag, default: []].append(index) }
            for assignee in Set(customer.openComplaintAssignees) { byAssignee[assignee, default: []].append(index) }
        }
        self.byId = byId
        self.byOwner = byOwner
        self.byTeam = byTeam
        self.byAnchor = byAnchor
        self.byTier = byTier
        self.byTag = byTag
        self.byAssignee = byAssignee
    }

    /// The customers that satisfy `predicate`, in insertion order.
    public func select(_ predicate: ScopePredicate) -> [CustomerAccessFacts] {
        let predicate = predicate.simplified()
        guard let candidates = candidates(predicate) else {
            return customers.filter { predicate.matches($0) }
        }
        var seen = Set<Int>(minimumCapacity: candidates.count)
        var result: [Int] = []
        result.reserveCapacity(candidates.count)
        for index in candidates where seen.insert(index).inserted && predicate.matches(customers[index]) {
            result.append(index)
        }
        result.sort()
        return result.map { customers[$0] }
    }

    /// How many candidates an index lookup for `predicate` would produce, or `nil` when the
    /// predicate needs a full scan.
    func estimate(_ predicate: ScopePredicate) -> Int? {
        switch predicate {
        case .all, .not: return nil
        case .none: return 0
        case .ownerIn(let set): return set.reduce(0) { $0 + (byOwner[$1]?.count ?? 0) }
        case .teamIn(let set): return set.reduce(0) { $0 + (byTeam[$1]?.count ?? 0) }
        case .keyAnchorIn(let set): return set.reduce(0) { $0 + (byAnchor[$1]?.count ?? 0) }
        case .customerIdIn(let set): return set.count
        case .tierIn(let set): return set.reduce(0) { $0 + (byTier[$1]?.count ?? 0) }
        case .hasTag(let tag): return byTag[tag]?.count ?? 0
        case .openComplaintAssignedTo(let id): return byAssignee[id]?.count ?? 0
        case .or(let parts):
            var total = 0
            for part in parts {
                guard let count = estimate(part) else { return nil }
                total += count
            }
            return total
        case .and(let parts):
            return parts.compactMap(estimate).min()
        }
    }

    /// Candidate positions (possibly with duplicates and false positives) or `nil` for a scan.
    func candidates(_ predicate: ScopePredicate) -> [Int]? {
        switch predicate {
        case .all, .not: return nil
        case .none: return []
        case .ownerIn(let set): return set.flatMap { byOwner[$0] ?? [] }
        case .teamIn(let set): return set.flatMap { byTeam[$0] ?? [] }
        case .keyAnchorIn(let set): return set.flatMap { byAnchor[$0] ?? [] }
        case .customerIdIn(let set): return set.compactMap { byId[$0] }
        case .tierIn(let set): return set.flatMap { byTier[$0] ?? [] }
        case .hasTag(let tag): return byTag[tag] ?? []
        case .openComplaintAssignedTo(let id): return byAssignee[id] ?? []
        case .or(let parts):
            var all: [Int] = []
            for part in parts {
                guard let found = candidates(part) else { return nil }
                all.append(contentsOf: found)
            }
            return all
        case .and(let parts):
            let best = parts.compactMap { part in estimate(part).map { (part, $0) } }.min { $0.1 < $1.1 }
            guard let best else { return nil }
            return candidates(best.0)
        }
    }
}
