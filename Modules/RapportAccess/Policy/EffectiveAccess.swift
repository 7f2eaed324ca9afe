import Foundation
import RapportModels

/// What one member of staff can actually reach and do at one moment, all roles, grants and
/// their status taken together: the measure by which an administrator's change is judged
/// (``AccessPolicy/widening(from:to:now:)``).
///
/// ```swift
/// let access = EffectiveAccess.of(rep.id, in: AccessPolicy(organisation), now: now)
/// access.permissions.sensitive.read   // .revealOnRequest
/// access.owners                       // whose customers they reach through own/team scope
/// ```
public struct EffectiveAccess: Hashable, Sendable {
    /// Whom this describes.
    public var staffId: UUID
    /// Whether they may sign in and read at all (active or on notice).
    public var mayAccess: Bool
    /// Whether they hold the admin role (issue grants, change roles, approve).
    public var isAdmin: Bool
    /// Their roles' combined record scope.
    public var scope: RecordScope
    /// Staff whose customers (and key customers they manage) they reach through own or team scope.
    public var owners: Set<UUID>
    /// Teams whose customers they reach through team scope.
    public var teams: Set<UUID>
    /// The staff of their own team and every team below it: reach inside it needs no approval.
    public var homeStaff: Set<UUID>
    /// Their own team and every team below it.
    public var homeTeams: Set<UUID>
    /// Customers reached through an effective grant, with what the grant allows.
    public var grantedCustomers: [UUID: GrantPermissions]
    /// Segments reached through an effective grant, with what the grant allows.
    public var grantedSegments: [CustomerSegment: GrantPermissions]
    /// Whether an effective break-glass grant lets them read every customer.
    public var breakGlass: Bool
    /// Field read levels, write flags and actions per entity kind, every kind spelled out, after
    /// the notice-period caps (sensitive at most masked, secret hidden, read-only, no export).
    public var permissions: PermissionSet
    /// Their quotas (notice-period quotas applied).
    public var quotas: QuotaLimits

    /// No access at all (unknown, suspended or departed people).
    public static func none(_ staffId: UUID) -> EffectiveAccess {
        EffectiveAccess(
            staffId: staffId, mayAccess: false, isAdmin: false, scope: [], owners: [], teams: [], homeStaff: [],
            homeTeams: [], grantedCustomers: [:], grantedSegments: [:], breakGlass: false,
            permissions: PermissionSet.none.expanded(), quotas: .zero)
    }

    /// The effective access of `staffId` in `policy` at `now`.
    public static func of(_ staffId: UUID, in policy: AccessPolicy, now: Date) -> EffectiveAccess {
        guard let profile = policy.profiles[staffId] else { return .none(staffId) }
        var access = EffectiveAccess.none(staffId)
        access.homeTeams = policy.subtreesByTeam[profile.staff.teamId] ?? [profile.staff.teamId]
        access.homeStaff = Set(access.homeTeams.flatMap { policy.staffByTeam[$0] ?? [] })
        guard profile.staff.status.mayAccess else { return access }
        access.mayAccess = true
        access.isAdmin = profile.staff.isAdmin
        access.scope = profile.scope
        access.owners = profile.owners
        access.teams = profile.teams
        access.quotas = profile.quotas
        var permissions = profile.permissions
        if profile.staff.status == .notice {
            permissions.sensitive.read = min(permissions.sensitive.read, .masked)
            permissions.secret.read = .hidden
            for field in [\PermissionSet.ordinary, \.sensitive, \.secret] { permissions[keyPath: field].write = false }
            for kind in EntityKind.allCases {
                permissions.entities[kind] = permissions.actions(on: kind).intersection(.read)
            }
            permissions.otherEntities.formIntersection(.read)
        }
        access.permissions = permissions
        for grant in policy.organisation.grants where grant.granteeId == staffId && grant.isEffective(at: now) {
            let allowed: GrantPermissions = grant.kind == .breakGlass ? .read : grant.permissions
            switch grant.target {
            case .customer(let id): access.grantedCustomers[id, default: []].formUnion(allowed)
            case .segment(let segment): access.grantedSegments[segment, default: []].formUnion(allowed)
            case .organisation: access.breakGlass = access.breakGlass || grant.kind == .breakGlass
            }
        }
        return access
    }

    /// The effective access of `staffId` in `organisation` at `now` (builds the policy; prefer
    /// ``of(_:in:now:)`` with a policy you already have).
    public static func of(_ staffId: UUID, in organisation: Organisation, now: Date) -> EffectiveAccess {
        of(staffId, in: AccessPolicy(organisation), now: now)
    }
}
