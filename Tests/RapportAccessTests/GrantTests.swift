import Foundation
import RapportAccess
import RapportModels
import RapportTesting
import Testing

@Suite("Grants, deny rules and separation of duties")
struct GrantTests {
    let cast = AccessFixtures.Cast()
    let now = AccessFixtures.now
    var policy: AccessPolicy { AccessPolicy(cast.organisation()) }

    func issue(_ request: GrantRequest, by grantor: UUID, customer: CustomerAccessFacts? = nil) throws(AccessError)
        -> AccessGrant
    {
        try policy.issueGrant(request, by: grantor, customer: customer, now: now)
    }

    /// The code of the ``AccessError`` `body` throws, or `nil` when it succeeds.
    func code(_ body: () throws -> Void) -> AccessError.Code? {
        do {
            try body()
            return nil
        } catch let error as AccessError {
            return error.code
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("a customer grant opens one customer, defaults to 7 days and stops at expiry")
    func customerGrant() throws {
        let foreign = cast.customer(ownedBy: cast.sam, team: cast.west)
        let grant = try issue(
            GrantRequest(granteeId: cast.ray, target: .customer(foreign.id), reason: "covering Sam's leave"),
            by: cast.ada)
        #expect(grant.expiresAt == now.addingTimeInterval(7 * 86_400))
        #expect(grant.approval == .notRequired)
        let withGrant = AccessPolicy(cast.organisation(grants: [grant]))
        let ray = Principal(staffId: cast.ray)
        #expect(withGrant.canRead(ray, customer: foreign, now: now) == .allow(.customerGrant))
        #expect(withGrant.canRead(ray, customer: foreign, now: grant.expiresAt.addingTimeInterval(-0.001)).isAllowed)
        #expect(withGrant.canRead(ray, customer: foreign, now: grant.expiresAt) == .deny(.outsideScope))
        #expect(withGrant.canRead(ray, customer: foreign, now: now.addingTimeInterval(-1)) == .deny(.outsideScope))
        #expect(!withGrant.scope(for: ray, now: grant.expiresAt).matches(foreign))
        // Read-only grants do not allow writes.
        #expect(
            withGrant.canWrite(ray, .customer, action: .update, of: foreign, fields: ["name"], now: now).record
                == .deny(.outsideScope))
    }

    @Test("segment grants reach key customers only when they name the key tier")
    func segmentGrant() throws {
        let tagged = cast.customer(ownedBy: cast.sam, team: cast.west, tags: ["expo"])
        let taggedKey = cast.customer(ownedBy: cast.sam, team: cast.west, tier: .key, tags: ["expo"])
        let byTag = try issue(
            GrantRequest(granteeId: cast.ray, target: .segment(CustomerSegment(tag: "expo")), reason: "expo follow-up"),
            by: cast.ada)
        let keyInWest = try issue(
            GrantRequest(
                granteeId: cast.rita, target: .segment(CustomerSegment(tier: .key, teamId: cast.west)),
                reason: "key account review"),
            by: cast.ada)
        let policy = AccessPolicy(cast.organisation(grants: [byTag, keyInWest]))
        #expect(policy.canRead(Principal(staffId: cast.ray), customer: tagged, now: now) == .allow(.segmentGrant))
        #expect(policy.canRead(Principal(staffId: cast.ray), customer: taggedKey, now: now) == .deny(.outsideScope))
        #expect(policy.canRead(Principal(staffId: cast.rita), customer: taggedKey, now: now) == .allow(.segmentGrant))
        #expect(policy.canRead(Principal(staffId: cast.rita), customer: tagged, now: now) == .deny(.outsideScope))
    }

    @Test("deny rules win over ownership, grants, admin scope and break-glass")
    func denyWins() throws {
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne, tags: ["litigation"])
        let breakGlass = AccessGrant(
            id: UUID(), granteeId: cast.ray, target: .organisation, kind: .breakGlass, reason: "outage",
            grantorId: cast.ada,
            createdAt: now, expiresAt: now.addingTimeInterval(3_600), approval: .approved(by: cast.bo, at: now))
        let grant = try issue(
            GrantRequest(granteeId: cast.ray, target: .customer(own.id), reason: "belt and braces"), by: cast.ada)
        let denies = [
            DenyRule(
                id: UUID(), staffId: cast.ray, target: .customer(own.id), reason: "conflict of interest",
                createdBy: cast.ada, createdAt: now),
            DenyRule(
                id: UUID(), staffId: nil, target: .segment(CustomerSegment(tag: "litigation")), reason: "legal hold",
                createdBy: cast.ada, createdAt: now,
                expiresAt: now.addingTimeInterval(60)),
        ]
        let policy = AccessPolicy(cast.organisation(grants: [grant, breakGlass], denyRules: denies))
        #expect(policy.canRead(Principal(staffId: cast.ray), customer: own, now: now) == .deny(.denyRule))
        #expect(policy.canRead(Principal(staffId: cast.ada), customer: own, now: now) == .deny(.denyRule))
        #expect(
            policy.canRead(Principal(staffId: cast.ada), customer: own, now: now.addingTimeInterval(60))
                == .allow(.organisationScope))
        #expect(!policy.scope(for: Principal(staffId: cast.ray), now: now).matches(own))
        #expect(policy.canExport(Principal(staffId: cast.ada), .customer, of: own, now: now) == .deny(.denyRule))
        // A deny rule on the organisation locks a person out completely.
        let lockout = DenyRule(
            id: UUID(), staffId: cast.max, target: .organisation, reason: "investigation", createdBy: cast.ada,
            createdAt: now)
        let locked = AccessPolicy(cast.organisation(denyRules: [lockout]))
        #expect(
            locked.canRead(
                Principal(staffId: cast.max), customer: cast.customer(ownedBy: cast.ray, team: cast.eastOne), now: now)
                == .deny(.denyRule))
        #expect(locked.scope(for: Principal(staffId: cast.max), now: now) == .none)
    }

    @Test("nobody grants to themselves: not admins, not managers, not roles")
    func noSelfGrant() {
        let customer = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.ada, target: .customer(customer.id), reason: "just me"), by: cast.ada)
            } == .selfGrant)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.mia, target: .customer(customer.id), reason: "just me"), by: cast.mia)
            } == .selfGrant)
        #expect(
            code { _ = try policy.checkRoleChange(RoleChange(staffId: cast.ada, adding: [.auditor]), by: cast.ada) }
                == .selfGrant)
        // Dropping one's own roles is fine.
        #expect(
            (try? policy.checkRoleChange(RoleChange(staffId: cast.ada, removing: [.admin]), by: cast.ada))
                == ApprovalRequirement.none)
    }

    @Test("grants need a reason, a sane duration and a valid target")
    func validation() {
        let customer = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.ray, target: .customer(customer.id), reason: "  "), by: cast.ada)
            } == .reasonRequired)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(
                        granteeId: cast.ray, target: .customer(customer.id), reason: "long job", duration: 31 * 86_400),
                    by: cast.ada)
            } == .invalidDuration)
        #expect(
            (try? issue(
                GrantRequest(
                    granteeId: cast.ray, target: .customer(customer.id), reason: "long job", duration: 30 * 86_400),
                by: cast.ada)) != nil)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.ray, target: .organisation, reason: "everything"), by: cast.ada)
            } == .invalidTarget)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.ray, target: .segment(CustomerSegment()), reason: "everything"),
                    by: cast.ada)
            } == .invalidTarget)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.sid, target: .customer(customer.id), reason: "suspended"), by: cast.ada
                )
            } == .inactiveStaff)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.rita, target: .customer(customer.id), reason: "not admin"),
                    by: cast.ray)
            } == .notPermitted)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: UUID(), target: .customer(customer.id), reason: "nobody"), by: cast.ada)
            } == .unknownStaff)
    }

    @Test("managers grant read or write on their own team's customers to their own team only")
    func managerGrants() {
        let teamCustomer = cast.customer(ownedBy: cast.rita, team: cast.eastOne)
        let request = GrantRequest(
            granteeId: cast.ray, target: .customer(teamCustomer.id), permissions: [.read, .write],
            reason: "Rita on leave")
        #expect((try? issue(request, by: cast.mia, customer: teamCustomer)) != nil)
        #expect(code { _ = try issue(request, by: cast.mia) } == .notPermitted)  // facts needed
        let west = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.ray, target: .customer(west.id), reason: "not mine"), by: cast.mia,
                    customer: west)
            } == .notPermitted)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.sam, target: .customer(teamCustomer.id), reason: "outside team"),
                    by: cast.mia, customer: teamCustomer)
            } == .notPermitted)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(
                        granteeId: cast.ray, target: .customer(teamCustomer.id), permissions: [.read, .export],
                        reason: "export"), by: cast.mia, customer: teamCustomer)
            } == .notPermitted)
    }

    @Test("widening grants wait for a second administrator who is neither grantor nor grantee")
    func secondApproval() throws {
        let customer = cast.customer(ownedBy: cast.sam, team: cast.west)
        let export = try issue(
            GrantRequest(
                granteeId: cast.max, target: .customer(customer.id), permissions: [.read, .export],
                reason: "quarterly report"), by: cast.ada)
        #expect(export.approval == .pending)
        let pending = AccessPolicy(cast.organisation(grants: [export]))
        #expect(
            pending.canExport(Principal(staffId: cast.max), .customer, of: customer, now: now) == .deny(.outsideScope))
        #expect(code { _ = try policy.approveGrant(export, by: cast.ada, now: now) } == .invalidApprover)
        #expect(code { _ = try policy.approveGrant(export, by: cast.max, now: now) } == .invalidApprover)
        #expect(code { _ = try policy.approveGrant(export, by: cast.bo, now: export.expiresAt) } == .invalidDuration)
        let approved = try policy.approveGrant(export, by: cast.bo, now: now)
        #expect(code { _ = try policy.approveGrant(approved, by: cast.bo, now: now) } == .approvalNotNeeded)
        let active = AccessPolicy(cast.organisation(grants: [approved]))
        #expect(
            active.canExport(Principal(staffId: cast.max), .customer, of: customer, now: now) == .allow(.customerGrant))
        // Without the setting the grant applies at once.
        let relaxed = AccessPolicy(cast.organisation(settings: AccessSettings(requireSecondApprovalForWidening: false)))
        #expect(
            try relaxed.issueGrant(
                GrantRequest(
                    granteeId: cast.max, target: .customer(customer.id), permissions: [.read, .export],
                    reason: "quarterly report"), by: cast.ada, now: now
            ).approval == .notRequired)
        // Adding the admin role is widening too.
        #expect(
            try policy.checkRoleChange(RoleChange(staffId: cast.ray, adding: [.admin]), by: cast.ada)
                == .secondAdministrator)
        #expect(
            try policy.checkRoleChange(RoleChange(staffId: cast.ray, adding: [.manager]), by: cast.ada)
                == ApprovalRequirement.none)
        #expect(
            code {
                try policy.approveRoleChange(
                    RoleChange(staffId: cast.ray, adding: [.admin]), requestedBy: cast.ada, approvedBy: cast.ada)
            } == .invalidApprover)
        #expect(
            code {
                try policy.approveRoleChange(
                    RoleChange(staffId: cast.ray, adding: [.admin]), requestedBy: cast.ada, approvedBy: cast.bo)
            } == nil)
        #expect(
            code { _ = try policy.checkRoleChange(RoleChange(staffId: cast.ray, adding: [.manager]), by: cast.mia) }
                == .notPermitted)
    }

    @Test("break-glass: hours only, a reason, approval, then organisation-wide read until it ends")
    func breakGlass() throws {
        let request = GrantRequest(
            granteeId: cast.sue, target: .organisation, kind: .breakGlass, reason: "customer emergency #4411")
        let grant = try issue(request, by: cast.ada)
        #expect(grant.expiresAt == now.addingTimeInterval(4 * 3_600))
        #expect(
            code {
                _ = try issue(
                    GrantRequest(
                        granteeId: cast.sue, target: .organisation, kind: .breakGlass, reason: "long",
                        duration: 9 * 3_600), by: cast.ada)
            } == .invalidDuration)
        #expect(
            code {
                _ = try issue(
                    GrantRequest(granteeId: cast.nora, target: .organisation, kind: .breakGlass, reason: "notice"),
                    by: cast.ada)
            } == .inactiveStaff)
        let approved = try policy.approveGrant(grant, by: cast.bo, now: now)
        let withGrant = AccessPolicy(cast.organisation(grants: [approved]))
        let anyone = cast.customer(ownedBy: cast.sam, team: cast.west, tier: .key, accountManager: cast.sam)
        #expect(withGrant.canRead(Principal(staffId: cast.sue), customer: anyone, now: now) == .allow(.breakGlass))
        #expect(
            withGrant.canRead(Principal(staffId: cast.sue), customer: anyone, now: approved.expiresAt)
                == .deny(.outsideScope))
        #expect(
            withGrant.canExport(Principal(staffId: cast.sue), .customer, of: anyone, now: now)
                == .deny(.roleLacksPermission))
    }

    @Test("revocation applies from its instant; grantor, grantee and admins may revoke")
    func revocation() throws {
        let customer = cast.customer(ownedBy: cast.sam, team: cast.west)
        let grant = try issue(
            GrantRequest(granteeId: cast.ray, target: .customer(customer.id), reason: "help"), by: cast.ada)
        let later = now.addingTimeInterval(600)
        let revoked = try policy.revokeGrant(grant, by: cast.bo, now: later)
        #expect(revoked.revokedAt == later && revoked.revokedBy == cast.bo)
        let withRevoked = AccessPolicy(cast.organisation(grants: [revoked]))
        #expect(
            withRevoked.canRead(Principal(staffId: cast.ray), customer: customer, now: later.addingTimeInterval(-0.001))
                .isAllowed)
        #expect(
            withRevoked.canRead(Principal(staffId: cast.ray), customer: customer, now: later) == .deny(.outsideScope))
        #expect(code { _ = try policy.revokeGrant(grant, by: cast.sam, now: later) } == .notPermitted)
        #expect((try? policy.revokeGrant(grant, by: cast.ray, now: later)) != nil)
    }
}
