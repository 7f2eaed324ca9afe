import Foundation
import PropertyBased
import RapportAccess
import RapportModels
import RapportTesting
import Testing

/// Widening is judged by effect: what people can reach and read before and after a change,
/// whatever the change is called.
@Suite("Widening by effect")
struct WideningTests {
    let cast = AccessFixtures.Cast()
    let now = AccessFixtures.now

    /// Team scope, sensitive and secret fields in clear, quotas nobody reaches: each part "not
    /// widening" on its own.
    static let composed = Role(
        id: "lead", name: "Lead",
        permissions: PermissionSet(
            otherEntities: .edit, ordinary: FieldClassPermission(read: .full, write: true),
            sensitive: FieldClassPermission(read: .full, write: true),
            secret: FieldClassPermission(read: .full, write: true)),
        scope: [.own, .team],
        quotas: QuotaLimits(distinctCustomersPerDay: 1_000_000, exportsPerDay: 0, sensitiveRevealsPerHour: 1_000_000))

    func widenings(_ change: (inout Organisation) -> Void, from organisation: Organisation? = nil) -> [Widening] {
        let before = organisation ?? cast.organisation()
        var after = before
        change(&after)
        return AccessPolicy.widening(from: before, to: after, now: now)
    }

    @Test("creating a role nobody holds widens nobody; assigning the composed role does")
    func composedRole() {
        var withRole = cast.organisation()
        withRole.roles.append(Self.composed)
        #expect(widenings({ $0.roles.append(Self.composed) }).isEmpty)
        let found = widenings({ $0.staff[4].roles.insert("lead") }, from: withRole)  // Ray
        #expect(found.allSatisfy { $0.staffId == cast.ray })
        #expect(Set(found.map(\.kind)) == [.fieldRead, .quota], "\(found)")
    }

    @Test("defining a role that people already name in their roles judges those people")
    func definingAHeldRole() {
        var organisation = cast.organisation()
        organisation.staff[4].roles.insert("lead")  // Ray names a role nobody has defined yet
        let found = widenings({ $0.roles.append(Self.composed) }, from: organisation)
        #expect(found.contains { $0.staffId == cast.ray && $0.kind == .fieldRead }, "\(found)")
    }

    @Test("editing a role widens every holder")
    func editingBuiltInRole() {
        var wider = Role.salesRep
        wider.permissions.sensitive.read = .full
        let found = widenings { $0.roles.append(wider) }
        let widened = Set(found.compactMap(\.staffId))
        // Ray, Rita, Sam; Nora on notice stays masked; suspended and departed people read nothing.
        #expect(widened == [cast.ray, cast.rita, cast.sam], "\(found)")
    }

    @Test("ordinary changes are not held: a rep promoted to manager of a small team, a new rep, removals")
    func ordinaryChanges() {
        #expect(widenings { $0.staff[5].roles = [.manager] }.isEmpty)  // Rita manages East 1
        #expect(
            widenings { $0.staff.append(Staff(id: UUID(), name: "New", teamId: cast.eastOne, roles: [.salesRep])) }
                .isEmpty)
        #expect(widenings { $0.staff[3].roles = [.salesRep] }.isEmpty)  // Mia demoted
        #expect(widenings { $0.teams.append(Team(id: UUID(), name: "East 2", parentId: cast.east)) }.isEmpty)
    }

    @Test("moves that put other people's customers in a manager's reach are held")
    func moves() {
        let west = widenings { $0.teams[3].parentId = cast.east }  // West under Mia's East
        #expect(west.contains { $0.staffId == cast.mia && $0.kind == .reach }, "\(west)")
        let mia = widenings { $0.staff[3].teamId = cast.sales }  // Mia to the root of the sales tree
        #expect(mia.contains { $0.staffId == cast.mia && $0.kind == .reach }, "\(mia)")
        let sam = widenings { $0.staff[6].teamId = cast.east }  // Sam into Mia's team
        #expect(sam.contains { $0.staffId == cast.mia && $0.kind == .reach }, "\(sam)")
    }

    @Test("admin rights, organisation scope, export and segment grants are always held")
    func alwaysHeld() {
        #expect(widenings { $0.staff[4].roles.insert(.admin) }.contains { $0.kind == .admin })
        #expect(widenings { $0.staff[4].roles.insert(.auditor) }.contains { $0.kind == .organisation })
        var exporter = Role.salesRep
        exporter.id = "exporter"
        exporter.permissions.otherEntities.insert(.export)
        #expect(
            widenings {
                $0.roles.append(exporter)
                $0.staff[4].roles = ["exporter"]
            }.contains { $0.kind == .export })
        let grant = AccessGrant(
            id: UUID(), granteeId: cast.ray, target: .segment(CustomerSegment(teamId: cast.west)), reason: "cover",
            grantorId: cast.ada, createdAt: now, expiresAt: now.addingTimeInterval(86_400))
        #expect(widenings { $0.grants.append(grant) }.contains { $0.kind == .grant })
        var single = grant
        single.target = .customer(UUID())
        #expect(widenings { $0.grants.append(single) }.isEmpty, "one customer for a few days is an ordinary grant")
    }

    @Test("loosening settings is a widening; tightening is not")
    func settings() {
        #expect(widenings { $0.settings.requireSecondApprovalForWidening = false }.map(\.kind) == [.setting])
        #expect(
            widenings { $0.settings.noticeQuotas.distinctCustomersPerDay = 10_000 }.contains { $0.kind == .setting })
        #expect(widenings { $0.settings.anomaly.spikeFactor = 50 }.contains { $0.kind == .setting })
        #expect(widenings { $0.settings.wideningBounds.maxReachedStaff = 10_000 }.contains { $0.kind == .setting })
        #expect(widenings { $0.settings.maximumGrantDuration = 7 * 86_400 }.isEmpty)
        #expect(widenings { $0.settings.autoSuspendOnHighAlert = true }.isEmpty)
    }

    @Test("reinstating a suspended rep is ordinary; reinstating a suspended administrator is held")
    func reinstatement() {
        #expect(widenings { $0.staff[8].status = .active }.isEmpty)  // Sid
        var organisation = cast.organisation()
        organisation.staff[1].status = .suspended  // Bo
        #expect(widenings({ $0.staff[1].status = .active }, from: organisation).contains { $0.kind == .admin })
    }

    // MARK: - Properties over generated organisations

    static let seeds = Gen.int(in: 0...Int(Int32.max)).map { UInt64($0) }
    static let picks = Gen.int(in: 0...10_000)

    /// A change picked from a menu by `kind`, `a`, `b`: role additions, role edits, moves of
    /// people and teams, grants, status changes.
    static func change(_ organisation: Organisation, kind: Int, a: Int, b: Int, now: Date) -> Organisation {
        var after = organisation
        let people = after.staff.count
        let teams = after.teams.count
        let roles: [Role] = Role.builtIns + [AccessFixtures.analystRole, composed]
        switch kind % 7 {
        case 0:
            if !after.roles.contains(where: { $0.id == composed.id }) { after.roles.append(composed) }
            after.staff[a % people].roles.insert(roles[b % roles.count].id)
        case 1:
            var edited = roles[a % roles.count]
            edited.permissions.sensitive.read = FieldAccess.allCases[b % 4]
            edited.scope = [RecordScope.own, .team, .assignedComplaints, .organisation][b % 4]
            after.roles.removeAll { $0.id == edited.id }
            after.roles.append(edited)
        case 2: after.staff[a % people].teamId = after.teams[b % teams].id
        case 3:
            let team = after.teams[a % teams].id
            let parent = after.teams[b % teams].id
            var subtree: Set<UUID> = [team]
            var grew = true
            while grew {
                let children = after.teams.filter { $0.parentId.map(subtree.contains) == true }.map(\.id)
                grew = !subtree.isSuperset(of: children)
                subtree.formUnion(children)
            }
            if !subtree.contains(parent) { after.teams[a % teams].parentId = parent }
        case 4:
            after.grants.append(
                AccessGrant(
                    id: UUID(), granteeId: after.staff[a % people].id,
                    target: b % 2 == 0
                        ? .segment(CustomerSegment(teamId: after.teams[b % teams].id)) : .customer(UUID()),
                    permissions: b % 3 == 0 ? [.read, .export] : .read, reason: "generated", grantorId: UUID(),
                    createdAt: now.addingTimeInterval(-60), expiresAt: now.addingTimeInterval(86_400)))
        case 5: after.staff[a % people].status = StaffStatus.allCases[b % StaffStatus.allCases.count]
        default: after.staff[a % people].roles.remove(roles[b % roles.count].id)
        }
        return after
    }

    @Test(
        "when no widening is reported, nobody reads a customer outside what they read before or their own team subtree, nor a field more openly than before or their scope's built-in role"
    )
    func emptyWideningMeansNoUnboundedGrowth() async {
        await propertyCheck(
            count: 150, input: Self.seeds, Gen.int(in: 1...14), Gen.int(in: 0...40), Self.picks, Self.picks, Self.picks
        ) { seed, staffCount, customerCount, kind, a, b in
            let world = AccessFixtures.world(seed: seed, staffCount: staffCount, customerCount: customerCount)
            let now = world.now
            let before = world.organisation
            let after = Self.change(before, kind: kind, a: a, b: b, now: now)
            guard AccessPolicy.widening(from: before, to: after, now: now).isEmpty else { return }
            let old = AccessPolicy(before)
            let new = AccessPolicy(after)
            for person in after.staff {
                let was = EffectiveAccess.of(person.id, in: old, now: now)
                let granted = EffectiveAccess.of(person.id, in: new, now: now).grantedCustomers
                let principal = Principal(staffId: person.id)
                for customer in world.customers where new.canRead(principal, customer: customer, now: now).isAllowed {
                    let inHome =
                        was.homeStaff.contains(customer.ownerId) || customer.teamId.map(was.homeTeams.contains) == true
                        || customer.accountManagerId.map(was.homeStaff.contains) == true
                        || customer.openComplaintAssignees.contains(person.id) || granted[customer.id] != nil
                    #expect(
                        old.canRead(principal, customer: customer, now: now).isAllowed || inHome,
                        "seed \(seed) change \(kind % 7)/\(a)/\(b): \(person.name) newly reads \(customer.id) beyond the bounds"
                    )
                }
                let ceiling = Role.ceiling(scope: new.recordScope(of: person.id), isAdmin: person.isAdmin)
                for fieldClass in FieldClass.allCases {
                    let read = new.fieldAccess(principal, fieldClass, now: now)
                    #expect(
                        read
                            <= max(
                                old.fieldAccess(principal, fieldClass, now: now),
                                ceiling.permissions.fields(fieldClass).read),
                        "seed \(seed) change \(kind % 7)/\(a)/\(b): \(person.name) reads \(fieldClass) \(read) unbounded"
                    )
                }
            }
        }
    }

    @Test("a change that only takes away (roles removed, grants revoked, people suspended) is never held")
    func narrowingIsNeverHeld() async {
        await propertyCheck(count: 100, input: Self.seeds, Gen.int(in: 1...14), Self.picks, Self.picks) {
            seed, staffCount, a, b in
            let world = AccessFixtures.world(seed: seed, staffCount: staffCount, customerCount: 0)
            var after = world.organisation
            let index = a % after.staff.count
            switch b % 3 {
            case 0:
                if let role = after.staff[index].roles.sorted().first, after.staff[index].roles.count > 1 {
                    after.staff[index].roles.remove(role)
                }
            case 1:
                for grant in after.grants.indices where grant % 2 == index % 2 {
                    after.grants[grant].revokedAt = world.now
                }
            default:
                if after.staff[index].status != .departed { after.staff[index].status = .suspended }
            }
            #expect(AccessPolicy.widening(from: world.organisation, to: after, now: world.now).isEmpty, "seed \(seed)")
        }
    }
}

@Suite("Access settings storage")
struct AccessSettingsCodingTests {
    @Test("settings stored before a setting existed decode with its default; stored values survive")
    func missingKeysTakeDefaults() throws {
        let stored =
            #"{"requireSecondApprovalForWidening": true, "noticeQuotas": {"distinctCustomersPerDay": 10, "exportsPerDay": 0, "sensitiveRevealsPerHour": 0}}"#
        let settings = try JSONDecoder().decode(AccessSettings.self, from: Data(stored.utf8))
        #expect(settings.noticeQuotas.distinctCustomersPerDay == 10)
        #expect(settings.wideningBounds == WideningBounds())
        #expect(settings.anomaly == AnomalyThresholds())
        var changed = AccessSettings()
        changed.wideningBounds.maxReachedStaff = 7
        changed.requireSecondApprovalForWidening = false
        #expect(try JSONDecoder().decode(AccessSettings.self, from: JSONEncoder().encode(changed)) == changed)
    }
}
