import Foundation
import RapportModels

/// The access-control policy engine: an immutable, indexed snapshot of the organisation that
/// answers who may read, write, export or unmask what.
///
/// Build one from an ``Organisation`` whenever staff, teams, roles, grants or deny rules change
/// (building is linear in the organisation's size); share it freely — it is a `Sendable` value.
/// Every question takes an explicit `now`, so answers are reproducible and grants stop working
/// exactly at their expiry.
///
/// ```swift
/// let policy = AccessPolicy(organisation)
/// let decision = policy.canRead(Principal(staffId: rep.id), customer: facts, now: now)
/// if decision.isAllowed { … } else { print(decision.reason) }
/// let filter = policy.scope(for: Principal(staffId: rep.id), now: now)   // for storage
/// ```
public struct AccessPolicy: Sendable {
    /// The snapshot the policy was built from.
    public let organisation: Organisation
    /// Roles by id: built-ins, overridden by the organisation's definitions.
    public let roles: [RoleID: Role]
    let profiles: [UUID: PrincipalProfile]
    let staffById: [UUID: Staff]
    /// For every team, itself and every team below it.
    let subtreesByTeam: [UUID: Set<UUID>]
    /// Staff ids by team.
    let staffByTeam: [UUID: [UUID]]

    /// The organisation's settings.
    public var settings: AccessSettings { organisation.settings }

    /// Builds the indexed policy from an organisation snapshot.
    public init(_ organisation: Organisation) {
        self.organisation = organisation
        var roles: [RoleID: Role] = [:]
        for role in Role.builtIns { roles[role.id] = role }
        for role in organisation.roles { roles[role.id] = role }
        self.roles = roles
        var staffById: [UUID: Staff] = [:]
        for person in organisation.staff { staffById[person.id] = person }
        self.staffById = staffById

        let subtrees = Self.teamSubtrees(organisation.teams)
        var staffByTeam: [UUID: [UUID]] = [:]
        for person in organisation.staff { staffByTeam[person.teamId, default: []].append(person.id) }
        var devicesByStaff: [UUID: Set<UUID>] = [:]
        for device in organisation.devices where device.status == .active {
            devicesByStaff[device.staffId, default: []].insert(device.id)
        }
        var grantsByStaff: [UUID: [AccessGrant]] = [:]
        for grant in organisation.grants where grant.approval.isSatisfied {
            grantsByStaff[grant.granteeId, default: []].append(grant)
        }
        var denyByStaff: [UUID: [DenyRule]] = [:]
        var denyEveryone: [DenyRule] = []
        for rule in organisation.denyRules {
            if let staffId = rule.staffId {
                denyByStaff[staffId, default: []].append(rule)
            } else {
                denyEveryone.append(rule)
            }
        }

        var profiles: [UUID: PrincipalProfile] = [:]
        profiles.reserveCapacity(organisation.staff.count)
        for person in organisation.staff {
            let held = person.roles.sorted().compactMap { roles[$0] }
            let permissions = held.reduce(PermissionSet.none) { $0.union($1.permissions) }.expanded()
            let scope = held.reduce(RecordScope()) { $0.union($1.scope) }
            var quotas = held.reduce(QuotaLimits.zero) { $0.union($1.quotas) }
            if person.status == .notice { quotas = quotas.intersection(organisation.settings.noticeQuotas) }

            var owners: Set<UUID> = []
            var teams: Set<UUID> = []
            var anchors: Set<UUID> = []
            if scope.contains(.own) || scope.contains(.team) {
                owners.insert(person.id)
                anchors.insert(person.id)
            }
            if scope.contains(.team) {
                teams = subtrees[person.teamId] ?? [person.teamId]
                for team in teams { for member in staffByTeam[team] ?? [] { owners.insert(member) } }
                anchors.formUnion(owners)
            }

            var customerGrants: [UUID: [RuleSlot]] = [:]
            var segmentGrants: [SegmentSlot] = []
            var breakGlass: [RuleSlot] = []
            for grant in grantsByStaff[person.id] ?? [] {
                let window = grant.effectiveWindow
                // Break-glass reads only; an ordinary grant never covers the whole organisation.
                let permissions: GrantPermissions = grant.kind == .breakGlass ? .read : grant.permissions
                switch grant.target {
                case .customer(let id):
                    customerGrants[id, default: []].append(
                        RuleSlot(id: grant.id, window: window, permissions: permissions))
                case .segment(let segment):
                    segmentGrants.append(
                        SegmentSlot(id: grant.id, segment: segment, window: window, permissions: permissions))
                case .organisation where grant.kind == .breakGlass:
                    breakGlass.append(RuleSlot(id: grant.id, window: window, permissions: permissions))
                case .organisation:
                    continue
                }
            }
            var deniedCustomers: [UUID: [RuleSlot]] = [:]
            var deniedSegments: [SegmentSlot] = []
            var denyAll: [RuleSlot] = []
            for rule in (denyByStaff[person.id] ?? []) + denyEveryone {
                switch rule.target {
                case .customer(let id):
                    deniedCustomers[id, default: []].append(RuleSlot(id: rule.id, window: rule.window, permissions: []))
                case .segment(let segment):
                    deniedSegments.append(
                        SegmentSlot(id: rule.id, segment: segment, window: rule.window, permissions: []))
                case .organisation:
                    denyAll.append(RuleSlot(id: rule.id, window: rule.window, permissions: []))
                }
            }
            profiles[person.id] = PrincipalProfile(
                staff: person, roles: held, permissions: permissions, scope: scope, quotas: quotas,
                activeDevices: devicesByStaff[person.id] ?? [], owners: owners, teams: teams, keyAnchors: anchors,
                customerGrants: customerGrants, segmentGrants: segmentGrants, breakGlass: breakGlass,
                deniedCustomers: deniedCustomers, deniedSegments: deniedSegments, denyAll: denyAll)
        }
        self.profiles = profiles
        self.subtreesByTeam = subtrees
        self.staffByTeam = staffByTeam
    }

    /// For every team, the set of that team and all teams below it. Cycles are cut.
    static func teamSubtrees(_ teams: [Team]) -> [UUID: Set<UUID>] {
        var children: [UUID: [UUID]] = [:]
        for team in teams { if let parent = team.parentId { children[parent, default: []].append(team.id) } }
        var result: [UUID: Set<UUID>] = [:]
        for team in teams {
            var seen: Set<UUID> = [team.id]
            var stack = [team.id]
            while let next = stack.popLast() {
                for child in children[next] ?? [] where seen.insert(child).inserted { stack.append(child) }
            }
            result[team.id] = seen
        }
        return result
    }

    /// The member of staff with `id`, if any.
    public func staff(_ id: UUID) -> Staff? { staffById[id] }

    /// The quotas that apply to `staffId`: the largest of their roles' limits, capped by the
    /// notice-period quotas while they serve notice; ``QuotaLimits/zero`` for unknown or
    /// inactive people.
    public func quotaLimits(for staffId: UUID) -> QuotaLimits {
        guard let profile = profiles[staffId], profile.staff.status.mayAccess else { return .zero }
        return profile.quotas
    }

    /// The combined permissions of `staffId`'s roles (before status is applied).
    public func permissions(of staffId: UUID) -> PermissionSet {
        profiles[staffId]?.permissions ?? .none
    }

    /// The combined record scope of `staffId`'s roles.
    public func recordScope(of staffId: UUID) -> RecordScope {
        profiles[staffId]?.scope ?? []
    }
}
