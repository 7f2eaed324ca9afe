import Foundation
import RapportModels

extension AccessPolicy {
    /// Whether `principal` may read `customer` at `now`: status and device, the role's read
    /// permission, deny rules (which win), then record scope and grants.
    ///
    /// Allocation-free: a dictionary lookup and a few set lookups.
    public func canRead(_ principal: Principal, customer: CustomerAccessFacts, now: Date) -> Decision {
        guard let profile = profiles[principal.staffId] else { return .deny(.unknownPrincipal) }
        if let denied = profile.gate(deviceId: principal.deviceId) { return denied }
        guard profile.customerActions.contains(.read) else { return .deny(.roleLacksPermission) }
        return profile.visibility(customer, now: now)
    }

    /// Whether `principal` may read a record of `kind` that belongs to `customer` (child
    /// records follow their customer's visibility; the role must also allow reading `kind`).
    public func canRead(_ principal: Principal, _ kind: EntityKind, of customer: CustomerAccessFacts, now: Date)
        -> Decision
    {
        guard let profile = profiles[principal.staffId] else { return .deny(.unknownPrincipal) }
        if let denied = profile.gate(deviceId: principal.deviceId) { return denied }
        guard profile.customerActions.contains(.read), profile.permissions.actions(on: kind).contains(.read) else {
            return .deny(.roleLacksPermission)
        }
        return profile.visibility(customer, now: now)
    }
}
