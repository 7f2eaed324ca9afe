import Foundation
import RapportModels

/// Everything about one member of staff that decisions need, precomputed when the policy
/// snapshot is built so that a decision is a handful of set lookups and allocates nothing.
final class PrincipalProfile: Sendable {
    let staff: Staff
    let roles: [Role]
    let permissions: PermissionSet
    let customerActions: EntityActions
    let scope: RecordScope
    let quotas: QuotaLimits
    let activeDevices: Set<UUID>
    /// Owners whose non-key customers are visible (self for `own`, everyone in the subtree for `team`).
    let owners: Set<UUID>
    /// Teams whose non-key customers are visible (the subtree for `team`).
    let teams: Set<UUID>
    /// People whose key customers are visible (self, plus everyone in the subtree for `team`).
    let keyAnchors: Set<UUID>
    let customerGrants: [UUID: [RuleSlot]]
    let segmentGrants: [SegmentSlot]
    let breakGlass: [RuleSlot]
    let deniedCustomers: [UUID: [RuleSlot]]
    let deniedSegments: [SegmentSlot]
    let denyAll: [RuleSlot]

    init(
        staff: Staff, roles: [Role], permissions: PermissionSet, scope: RecordScope, quotas: QuotaLimits,
        activeDevices: Set<UUID>, owners: Set<UUID>, teams: Set<UUID>, keyAnchors: Set<UUID>,
        customerGrants: [UUID: [RuleSlot]], segmentGrants: [SegmentSlot], breakGlass: [RuleSlot],
        deniedCustomers: [UUID: [RuleSlot]], deniedSegments: [SegmentSlot], denyAll: [RuleSlot]
    ) {
        self.staff = staff
        self.roles = roles
        self.permissions = permissions
        self.customerActions = permissions.actions(on: .customer)
        self.scope = scope
        self.quotas = quotas
        self.activeDevices = activeDevices
        self.owners = owners
        self.teams = teams
        self.keyAnchors = keyAnchors
        self.customerGrants = customerGrants
        self.segmentGrants = segmentGrants
        self.breakGlass = breakGlass
        self.deniedCustomers = deniedCustomers
        self.deniedSegments = deniedSegments
        self.denyAll = denyAll
    }

    /// Status and device checks shared by every decision.
    @inline(__always)
    func gate(deviceId: UUID?) -> Decision? {
        switch staff.status {
        case .active, .notice: break
        case .suspended: return .deny(.suspended)
        case .departed: return .deny(.departed)
        }
        if let deviceId, !activeDevices.contains(deviceId) { return .deny(.deviceNotUsable) }
        return nil
    }

    /// Whether a deny rule excludes `customer` at `now`.
    @inline(__always)
    func isDenied(_ customer: CustomerAccessFacts, now: Date) -> Bool {
        if !denyAll.isEmpty, denyAll.contains(where: { $0.window.contains(now) }) { return true }
        if !deniedCustomers.isEmpty, let slots = deniedCustomers[customer.id],
            slots.contains(where: { $0.window.contains(now) })
        {
            return true
        }
        if !deniedSegments.isEmpty {
            for slot in deniedSegments where slot.window.contains(now) && slot.segment.matches(customer) {
                return true
            }
        }
        return false
    }

    /// The scope decision for `customer` (deny rules first), ignoring status and role actions.
    /// `needed` is the grant permission the action requires (read, write or export).
    @inline(__always)
    func visibility(_ customer: CustomerAccessFacts, needed: GrantPermissions = .read, now: Date) -> Decision {
        if isDenied(customer, now: now) { return .deny(.denyRule) }
        if scope.contains(.organisation) { return .allow(.organisationScope) }
        var restrictedKey = false
        if customer.isKey {
            let anchor = customer.keyAnchor
            if keyAnchors.contains(anchor) {
                return .allow(anchor == staff.id ? .keyAccountManager : .keyAccountManagersManager)
            }
            restrictedKey = owners.contains(customer.ownerId) || (customer.teamId.map(teams.contains) ?? false)
        } else {
            if owners.contains(customer.ownerId) {
                return .allow(customer.ownerId == staff.id ? .owner : .teamScope)
            }
            if let team = customer.teamId, teams.contains(team) { return .allow(.teamScope) }
        }
        if scope.contains(.assignedComplaints), customer.openComplaintAssignees.contains(staff.id) {
            return .allow(.assignedComplaint)
        }
        if let decision = grantDecision(customer, needed: needed, now: now) { return decision }
        return .deny(restrictedKey ? .keyCustomerRestricted : .outsideScope)
    }

    /// The grant that lets the principal reach `customer` with `needed`, if any.
    @inline(__always)
    func grantDecision(_ customer: CustomerAccessFacts, needed: GrantPermissions, now: Date) -> Decision? {
        if !customerGrants.isEmpty, let slots = customerGrants[customer.id],
            slots.contains(where: { $0.window.contains(now) && $0.permissions.isSuperset(of: needed) })
        {
            return .allow(.customerGrant)
        }
        if !segmentGrants.isEmpty {
            for slot in segmentGrants
            where slot.window.contains(now) && slot.permissions.isSuperset(of: needed)
                && slot.segment.reaches(customer)
            {
                return .allow(.segmentGrant)
            }
        }
        if !breakGlass.isEmpty,
            breakGlass.contains(where: { $0.window.contains(now) && $0.permissions.isSuperset(of: needed) })
        {
            return .allow(.breakGlass)
        }
        return nil
    }
}
