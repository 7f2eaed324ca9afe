import Foundation
import RapportModels

extension AccessPolicy {
    /// Every customer `principal` may read at `now`, as a predicate storage can turn into a query.
    ///
    /// For every customer `c`, `scope(for: p, now: t).matches(c) == canRead(p, customer: c, now: t).isAllowed`
    /// (the property tests check this over generated organisations). Pass `kind` for child
    /// records: the result is ``ScopePredicate/none`` when the role may not read that kind.
    /// Grants that expire later still appear: recompute the scope for each request.
    public func scope(for principal: Principal, kind: EntityKind = .customer, now: Date) -> ScopePredicate {
        guard let profile = profiles[principal.staffId], profile.gate(deviceId: principal.deviceId) == nil,
            profile.customerActions.contains(.read), profile.permissions.actions(on: kind).contains(.read)
        else { return .none }
        if profile.denyAll.contains(where: { $0.window.contains(now) }) { return .none }

        var reach: [ScopePredicate] = []
        if profile.scope.contains(.organisation) {
            reach.append(.all)
        }
        reach.append(.and([.not(.tierIn([.key])), .or([.ownerIn(profile.owners), .teamIn(profile.teams)])]))
        reach.append(.and([.tierIn([.key]), .keyAnchorIn(profile.keyAnchors)]))
        if profile.scope.contains(.assignedComplaints) {
            reach.append(.openComplaintAssignedTo(profile.staff.id))
        }
        var granted: Set<UUID> = []
        for (customerId, slots) in profile.customerGrants
        where slots.contains(where: { $0.window.contains(now) && $0.permissions.contains(.read) }) {
            granted.insert(customerId)
        }
        reach.append(.customerIdIn(granted))
        for slot in profile.segmentGrants where slot.window.contains(now) && slot.permissions.contains(.read) {
            let segment = ScopePredicate.segment(slot.segment)
            reach.append(slot.segment.tier == .key ? segment : .and([segment, .not(.tierIn([.key]))]))
        }
        if profile.breakGlass.contains(where: { $0.window.contains(now) }) {
            reach.append(.all)
        }

        var parts: [ScopePredicate] = [.or(reach)]
        var denied: Set<UUID> = []
        for (customerId, slots) in profile.deniedCustomers where slots.contains(where: { $0.window.contains(now) }) {
            denied.insert(customerId)
        }
        parts.append(.not(.customerIdIn(denied)))
        for slot in profile.deniedSegments where slot.window.contains(now) {
            parts.append(.not(.segment(slot.segment)))
        }
        return ScopePredicate.and(parts).simplified()
    }
}
