import Foundation

/// One administrative change to the organisation, as an intent that can wait for a second
/// administrator and be applied again, to the organisation as it is then, when approved.
///
/// ```swift
/// let after = try policy.applying(.assignRoles(RoleChange(staffId: ana, adding: ["lead"])), by: admin)
/// let widenings = AccessPolicy.widening(from: policy.organisation, to: after, now: now)
/// ```
public enum OrganisationChange: Hashable, Codable, Sendable {
    /// Add and remove roles of a person.
    case assignRoles(RoleChange)
    /// Create a custom role or replace a role's definition (built-ins included).
    case defineRole(Role)
    /// Move a person to another team.
    case moveStaff(staffId: UUID, teamId: UUID)
    /// Change a person's status (notice, suspension, reinstatement).
    case setStatus(staffId: UUID, status: StaffStatus)
    /// Put a team under another (or at the top, `nil`).
    case moveTeam(teamId: UUID, parentId: UUID?)
    /// Store a grant (as issued by ``AccessPolicy/issueGrant(_:by:customer:now:id:)``, treated as effective).
    case issueGrant(AccessGrant)
    /// Replace the organisation's access settings.
    case settings(AccessSettings)

    /// A few words for lists and audit entries: `assign roles +lead -salesRep to <id>`.
    public var summary: String {
        switch self {
        case .assignRoles(let change):
            let parts = change.adding.sorted().map { "+\($0)" } + change.removing.sorted().map { "-\($0)" }
            return "assign roles \(parts.joined(separator: " ")) to \(change.staffId)"
        case .defineRole(let role): return "define role \(role.id)"
        case .moveStaff(let staffId, let teamId): return "move \(staffId) to team \(teamId)"
        case .setStatus(let staffId, let status): return "set \(staffId) \(status.rawValue)"
        case .moveTeam(let teamId, let parentId):
            return "move team \(teamId) under \(parentId?.uuidString ?? "the top")"
        case .issueGrant(let grant): return "grant \(grant.kind.rawValue) to \(grant.granteeId)"
        case .settings: return "change access settings"
        }
    }
}

extension AccessPolicy {
    /// The organisation after `change` by `actorId`, for ``widening(from:to:now:)``.
    ///
    /// - Throws: ``AccessError`` when the change is not allowed at all: not an active
    ///   administrator, roles added to oneself, one's own status, an unknown person, role or
    ///   team, a team put under itself.
    public func applying(_ change: OrganisationChange, by actorId: UUID) throws(AccessError) -> Organisation {
        let actor = try activeStaff(actorId, role: "actor")
        guard actor.isAdmin else {
            throw AccessError(code: .notPermitted, message: "only administrators change the organisation")
        }
        var after = organisation
        func person(_ id: UUID) throws(AccessError) -> Int {
            guard let index = after.staff.firstIndex(where: { $0.id == id }) else {
                throw AccessError(code: .unknownStaff, message: "no member of staff \(id); check the id")
            }
            return index
        }
        func team(_ id: UUID) throws(AccessError) -> Int {
            guard let index = after.teams.firstIndex(where: { $0.id == id }) else {
                throw AccessError(code: .unknownTeam, message: "no team \(id); list teams to find the id")
            }
            return index
        }
        switch change {
        case .assignRoles(let roleChange):
            let index = try person(roleChange.staffId)
            guard roleChange.staffId != actorId || roleChange.adding.isEmpty else {
                throw AccessError(
                    code: .selfGrant, message: "nobody may add roles to themselves; ask another administrator")
            }
            if let unknown = roleChange.adding.sorted().first(where: { roles[$0] == nil }) {
                throw AccessError(code: .unknownRole, message: "no role named \(unknown); define it first")
            }
            after.staff[index].roles.subtract(roleChange.removing)
            after.staff[index].roles.formUnion(roleChange.adding)
        case .defineRole(let role):
            after.roles.removeAll { $0.id == role.id }
            after.roles.append(role)
        case .moveStaff(let staffId, let teamId):
            let index = try person(staffId)
            _ = try team(teamId)
            after.staff[index].teamId = teamId
        case .setStatus(let staffId, let status):
            guard staffId != actorId else {
                throw AccessError(
                    code: .selfGrant,
                    message: "administrators cannot change their own status; ask another administrator")
            }
            after.staff[try person(staffId)].status = status
        case .moveTeam(let teamId, let parentId):
            let index = try team(teamId)
            if let parentId {
                _ = try team(parentId)
                let parents = Dictionary(after.teams.map { ($0.id, $0.parentId) }, uniquingKeysWith: { $1 })
                var cursor: UUID? = parentId
                var steps = 0
                while let current = cursor, steps <= after.teams.count {
                    guard current != teamId else {
                        throw AccessError(
                            code: .invalidTarget,
                            message: "the move would put the team under itself; choose a team outside its subtree")
                    }
                    cursor = parents[current] ?? nil
                    steps += 1
                }
            }
            after.teams[index].parentId = parentId
        case .issueGrant(var grant):
            grant.approval = .notRequired
            after.grants.removeAll { $0.id == grant.id }
            after.grants.append(grant)
        case .settings(let settings):
            after.settings = settings
        }
        return after
    }
}
