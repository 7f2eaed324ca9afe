import Foundation
import RapportModels

extension AccessPolicy {
    /// Every way the change from `before` to `after` widens someone's effective access beyond
    /// the bounds of `before` (its ``AccessSettings/wideningBounds``), plus every loosened
    /// setting. Empty when the change needs no second administrator.
    ///
    /// The one check every administrative change passes: the server computes the organisation
    /// after the change (role edit or assignment, new person, move, status, grant, setting) and
    /// asks this function, so a new kind of change cannot forget it. Only the people the change
    /// can affect are compared (changed people, holders of changed roles, grantees of changed
    /// grants, team-scoped people when teams or memberships move), so it stays cheap for large
    /// organisations.
    ///
    /// ```swift
    /// var after = organisation
    /// after.roles.append(widerRole)
    /// let widenings = AccessPolicy.widening(from: organisation, to: after, now: now)
    /// if !widenings.isEmpty { /* hold for a second administrator */ }
    /// ```
    public static func widening(from before: Organisation, to after: Organisation, now: Date) -> [Widening] {
        var result = settingsWidening(from: before.settings, to: after.settings)
        let old = AccessPolicy(before)
        let new = AccessPolicy(after)
        // People and teams that did not exist have no customers yet: reaching them widens nothing.
        let newcomers = Set(after.staff.map(\.id)).subtracting(before.staff.map(\.id))
            .union(Set(after.teams.map(\.id)).subtracting(before.teams.map(\.id)))
        for staffId in affectedStaff(from: old, to: new).sorted(by: { $0.uuidString < $1.uuidString }) {
            result += widening(
                of: staffId, from: EffectiveAccess.of(staffId, in: old, now: now),
                to: EffectiveAccess.of(staffId, in: new, now: now), bounds: before.settings.wideningBounds,
                existed: old.staff(staffId) != nil, newcomers: newcomers)
        }
        return result
    }

    /// How one person's access grows from `before` to `after`, beyond `bounds`. `existed` says
    /// whether the person existed before (a new person's own team subtree is their bound);
    /// `newcomers` are people and teams created by the change, whose customers do not exist yet.
    public static func widening(
        of staffId: UUID, from before: EffectiveAccess, to after: EffectiveAccess, bounds: WideningBounds,
        existed: Bool = true, newcomers: Set<UUID> = []
    ) -> [Widening] {
        guard after.mayAccess else { return [] }
        var found: [Widening] = []
        func add(_ kind: Widening.Kind, _ detail: String) {
            found.append(Widening(staffId: staffId, kind: kind, detail: detail))
        }
        let was = before.mayAccess ? before : .none(staffId)
        if after.isAdmin && !was.isAdmin { add(.admin, "gains the admin role") }
        if after.scope.contains(.organisation) && !was.scope.contains(.organisation) {
            add(.organisation, "reaches every customer through a role")
        }
        if after.breakGlass && !was.breakGlass { add(.organisation, "reaches every customer through break-glass") }

        let homeStaff = existed ? before.homeStaff : after.homeStaff
        let homeTeams = existed ? before.homeTeams : after.homeTeams
        let newOwners = after.owners.subtracting(was.owners).subtracting(newcomers)
        let newTeams = after.teams.subtracting(was.teams).subtracting(newcomers)
        if !newOwners.isEmpty || !newTeams.isEmpty {
            let outside = newOwners.subtracting(homeStaff).count + newTeams.subtracting(homeTeams).count
            if outside > 0 {
                add(.reach, "reaches the customers of \(outside) people or teams outside their own team subtree")
            } else if after.owners.count > bounds.maxReachedStaff {
                add(
                    .reach,
                    "reaches the customers of \(after.owners.count) people (more than \(bounds.maxReachedStaff))")
            }
        }

        let newCustomers = Set(after.grantedCustomers.keys).subtracting(was.grantedCustomers.keys)
        if !newCustomers.isEmpty && after.grantedCustomers.count > bounds.maxGrantedCustomers {
            add(
                .grant,
                "holds grants on \(after.grantedCustomers.count) customers (more than \(bounds.maxGrantedCustomers))")
        }
        for (segment, permissions) in after.grantedSegments
        where !permissions.isSubset(of: was.grantedSegments[segment] ?? []) {
            add(.grant, "gains a grant on the segment \(segment)")
        }
        let grantExport = { (access: EffectiveAccess) in
            access.grantedCustomers.values.contains { $0.contains(.export) }
                || access.grantedSegments.values.contains { $0.contains(.export) }
        }
        if grantExport(after) && !grantExport(was) { add(.export, "may export through a grant") }

        let ceiling = Role.ceiling(scope: after.scope, isAdmin: after.isAdmin)
        for fieldClass in FieldClass.allCases {
            let old = was.permissions.fields(fieldClass)
            let new = after.permissions.fields(fieldClass)
            let bound = ceiling.permissions.fields(fieldClass)
            if new.read > old.read && new.read > bound.read {
                add(.fieldRead, "\(fieldClass.rawValue) read \(old.read) → \(new.read) (bound \(bound.read))")
            }
            if new.write && !old.write && !bound.write {
                add(.fieldWrite, "\(fieldClass.rawValue) fields become writable")
            }
        }
        var exportKinds: [String] = []
        var actionKinds: [String] = []
        for kind in EntityKind.allCases {
            let gained = after.permissions.actions(on: kind).subtracting(was.permissions.actions(on: kind))
                .subtracting(ceiling.permissions.actions(on: kind))
            if gained.contains(.export) { exportKinds.append(kind.rawValue) }
            if !gained.subtracting(.export).isEmpty { actionKinds.append(kind.rawValue) }
        }
        if !exportKinds.isEmpty { add(.export, "may export \(exportKinds.joined(separator: ", "))") }
        if !actionKinds.isEmpty {
            add(.action, "gains actions beyond their scope's built-in role on \(actionKinds.joined(separator: ", "))")
        }

        let limits: [(String, KeyPath<QuotaLimits, Int>)] = [
            ("distinct customers per day", \.distinctCustomersPerDay), ("exports per day", \.exportsPerDay),
            ("sensitive reveals per hour", \.sensitiveRevealsPerHour),
        ]
        for (name, path) in limits {
            let (old, new, bound) = (
                was.quotas[keyPath: path], after.quotas[keyPath: path], ceiling.quotas[keyPath: path]
            )
            if new > old && new > bound { add(.quota, "\(name) \(old) → \(new) (bound \(bound))") }
        }
        return found
    }

    /// Settings changes that loosen separation of duties, quotas, grant lifetimes or detection.
    /// Any change of the anomaly thresholds or the working calendar counts: raising a threshold
    /// hides bulk copying, lowering one can bury a real alert in noise or suspend colleagues.
    static func settingsWidening(from before: AccessSettings, to after: AccessSettings) -> [Widening] {
        var found: [String] = []
        if before.requireSecondApprovalForWidening && !after.requireSecondApprovalForWidening {
            found.append("second approval for widening turned off")
        }
        if before.autoSuspendOnHighAlert && !after.autoSuspendOnHighAlert {
            found.append("automatic suspension turned off")
        }
        let durations: [(String, KeyPath<AccessSettings, TimeInterval>)] = [
            ("default grant duration", \.defaultGrantDuration), ("maximum grant duration", \.maximumGrantDuration),
            ("default break-glass duration", \.defaultBreakGlassDuration),
            ("maximum break-glass duration", \.maximumBreakGlassDuration),
        ]
        for (name, path) in durations where after[keyPath: path] > before[keyPath: path] {
            found.append("\(name) raised")
        }
        let quotas = before.noticeQuotas.union(after.noticeQuotas)
        if quotas != before.noticeQuotas { found.append("notice-period quotas raised") }
        if after.anomaly != before.anomaly { found.append("anomaly thresholds changed") }
        if after.clock != before.clock { found.append("working hours or days changed") }
        if after.wideningBounds.maxReachedStaff > before.wideningBounds.maxReachedStaff
            || after.wideningBounds.maxGrantedCustomers > before.wideningBounds.maxGrantedCustomers
        {
            found.append("widening bounds raised")
        }
        return found.map { Widening(staffId: nil, kind: .setting, detail: $0) }
    }

    /// The people whose effective access the change from `old` to `new` can alter.
    static func affectedStaff(from old: AccessPolicy, to new: AccessPolicy) -> Set<UUID> {
        let before = old.organisation
        let after = new.organisation
        var affected: Set<UUID> = []
        for person in after.staff where old.staffById[person.id] != person { affected.insert(person.id) }
        let oldRoles = Dictionary(before.roles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        let newRoles = Dictionary(after.roles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        let changedRoles = Set(oldRoles.keys).union(newRoles.keys).filter { oldRoles[$0] != newRoles[$0] }
        if !changedRoles.isEmpty {
            for person in after.staff where !person.roles.isDisjoint(with: changedRoles) { affected.insert(person.id) }
        }
        let oldGrants = Dictionary(before.grants.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for grant in after.grants where oldGrants[grant.id] != grant { affected.insert(grant.granteeId) }
        let membershipMoved =
            before.teams != after.teams || after.staff.contains { old.staffById[$0.id].map(\.teamId) != $0.teamId }
        if membershipMoved {
            for person in after.staff where new.recordScope(of: person.id).contains(.team) {
                affected.insert(person.id)
            }
        }
        if before.settings.noticeQuotas != after.settings.noticeQuotas {
            for person in after.staff where person.status == .notice { affected.insert(person.id) }
        }
        if before.denyRules != after.denyRules { affected.formUnion(after.staff.map(\.id)) }
        return affected
    }
}

extension Role {
    /// What one administrator may give alone to a holder of `scope`: the union of the built-in
    /// roles (as written in code) whose scope it covers; ``Role/admin`` for administrators.
    public static func ceiling(scope: RecordScope, isAdmin: Bool) -> Role {
        if isAdmin { return .admin }
        var ceiling = Role(id: "ceiling", name: "Ceiling", permissions: .none, scope: scope, quotas: .zero)
        var matching: [Role] = []
        if !scope.isDisjoint(with: [.own, .team]) { matching.append(.salesRep) }
        if scope.contains(.team) { matching.append(.manager) }
        if scope.contains(.assignedComplaints) { matching.append(.supportAgent) }
        if scope.contains(.organisation) { matching.append(.auditor) }
        for role in matching {
            ceiling.permissions = ceiling.permissions.union(role.permissions)
            ceiling.quotas = ceiling.quotas.union(role.quotas)
        }
        ceiling.permissions = ceiling.permissions.expanded()
        return ceiling
    }
}
