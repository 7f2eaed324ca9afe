import Foundation
import RapportAccess
import RapportModels
import RapportTesting
import Testing

@Suite("Record scope of each role")
struct RoleScopeTests {
    let cast = AccessFixtures.Cast()
    let now = AccessFixtures.now

    func read(_ who: UUID, _ customer: CustomerAccessFacts, policy: AccessPolicy? = nil) -> Decision {
        (policy ?? AccessPolicy(cast.organisation())).canRead(Principal(staffId: who), customer: customer, now: now)
    }

    @Test("a sales rep sees their own customers and nobody else's")
    func salesRep() {
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        let colleague = cast.customer(ownedBy: cast.rita, team: cast.eastOne)
        #expect(read(cast.ray, own) == .allow(.owner))
        #expect(read(cast.ray, colleague) == .deny(.outsideScope))
        #expect(read(cast.sam, own) == .deny(.outsideScope))
    }

    @Test("a manager sees the customers of their whole team subtree, not of other trees")
    func manager() {
        let deep = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        let west = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(read(cast.max, deep) == .allow(.teamScope))
        #expect(read(cast.mia, deep) == .allow(.teamScope))
        #expect(read(cast.mia, west) == .deny(.outsideScope))
        // Owned by someone in the subtree but filed under another team: still the manager's.
        let filedElsewhere = cast.customer(ownedBy: cast.ray, team: cast.west)
        #expect(read(cast.mia, filedElsewhere) == .allow(.teamScope))
    }

    @Test("key customers: only the account manager and that person's managers")
    func keyCustomers() {
        // Owned by Rita, but Ray is the account manager.
        let key = cast.customer(ownedBy: cast.rita, team: cast.eastOne, tier: .key, accountManager: cast.ray)
        #expect(read(cast.ray, key) == .allow(.keyAccountManager))
        #expect(read(cast.rita, key) == .deny(.keyCustomerRestricted))
        #expect(read(cast.mia, key) == .allow(.keyAccountManagersManager))
        #expect(read(cast.max, key) == .allow(.keyAccountManagersManager))
        #expect(read(cast.sam, key) == .deny(.outsideScope))
        // Account manager in another tree: East's managers lose it even though it is filed in East.
        let managedFromWest = cast.customer(
            ownedBy: cast.rita, team: cast.eastOne, tier: .key, accountManager: cast.sam)
        #expect(read(cast.mia, managedFromWest) == .deny(.keyCustomerRestricted))
        #expect(read(cast.sam, managedFromWest) == .allow(.keyAccountManager))
        // Without an account manager the owner anchors it.
        let unmanaged = cast.customer(ownedBy: cast.rita, team: cast.eastOne, tier: .key)
        #expect(read(cast.rita, unmanaged) == .allow(.keyAccountManager))
        #expect(read(cast.ray, unmanaged) == .deny(.outsideScope))
    }

    @Test("a support agent sees exactly the customers with open complaints assigned to them")
    func supportAgent() {
        let assigned = cast.customer(ownedBy: cast.ray, team: cast.eastOne, complaintAssignees: [cast.sue])
        let other = cast.customer(ownedBy: cast.ray, team: cast.eastOne, complaintAssignees: [cast.al])
        let keyAssigned = cast.customer(
            ownedBy: cast.ray, team: cast.eastOne, tier: .key, complaintAssignees: [cast.sue])
        #expect(read(cast.sue, assigned) == .allow(.assignedComplaint))
        #expect(read(cast.sue, other) == .deny(.outsideScope))
        #expect(read(cast.sue, keyAssigned) == .allow(.assignedComplaint))
        // The complaint assignment does not widen a sales rep's scope.
        let repAssigned = cast.customer(ownedBy: cast.sam, team: cast.west, complaintAssignees: [cast.ray])
        #expect(read(cast.ray, repAssigned) == .deny(.outsideScope))
    }

    @Test("admins and auditors reach every customer")
    func organisationWide() {
        let key = cast.customer(ownedBy: cast.sam, team: cast.west, tier: .key, accountManager: cast.sam)
        #expect(read(cast.ada, key) == .allow(.organisationScope))
        #expect(read(cast.al, key) == .allow(.organisationScope))
    }

    @Test("child records follow their customer, and the role must allow the kind")
    func childRecords() {
        let policy = AccessPolicy(cast.organisation())
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        let foreign = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(policy.canRead(Principal(staffId: cast.ray), .order, of: own, now: now).isAllowed)
        #expect(policy.canRead(Principal(staffId: cast.ray), .order, of: foreign, now: now) == .deny(.outsideScope))
        #expect(policy.scope(for: Principal(staffId: cast.ray), kind: .interaction, now: now).matches(own))

        var organisation = cast.organisation()
        organisation.roles = [AccessFixtures.analystRole]
        organisation.staff[4].roles = ["analyst"]
        organisation.roles[0].permissions.entities[.order] = EntityActions.none
        let analyst = AccessPolicy(organisation)
        #expect(analyst.canRead(Principal(staffId: cast.ray), .order, of: own, now: now) == .deny(.roleLacksPermission))
        #expect(analyst.canRead(Principal(staffId: cast.ray), .contact, of: own, now: now).isAllowed)
        #expect(analyst.scope(for: Principal(staffId: cast.ray), kind: .order, now: now) == .none)
    }

    @Test("a custom role reads ordinary fields of its team and nothing more")
    func customRole() {
        var organisation = cast.organisation()
        organisation.roles = [AccessFixtures.analystRole]
        organisation.staff[4].roles = ["analyst"]  // Ray becomes an analyst.
        let policy = AccessPolicy(organisation)
        let ray = Principal(staffId: cast.ray)
        #expect(
            policy.canRead(ray, customer: cast.customer(ownedBy: cast.rita, team: cast.eastOne), now: now).isAllowed)
        #expect(policy.fieldAccess(ray, .sensitive, now: now) == .hidden)
        #expect(policy.fieldAccess(ray, .secret, now: now) == .hidden)
        let write = policy.canWrite(
            ray, .customer, action: .update, of: cast.customer(ownedBy: cast.ray, team: cast.eastOne), fields: ["name"],
            now: now)
        #expect(write.record == .deny(.roleLacksPermission))
    }

    @Test("people with several roles get the union")
    func roleUnion() {
        var organisation = cast.organisation()
        organisation.staff[10].roles = [.supportAgent, .salesRep]  // Sue also sells.
        let policy = AccessPolicy(organisation)
        let sue = Principal(staffId: cast.sue)
        #expect(
            policy.canRead(sue, customer: cast.customer(ownedBy: cast.sue, team: cast.service), now: now)
                == .allow(.owner))
        #expect(
            policy.canRead(
                sue, customer: cast.customer(ownedBy: cast.ray, team: cast.eastOne, complaintAssignees: [cast.sue]),
                now: now)
                == .allow(.assignedComplaint))
        #expect(policy.recordScope(of: cast.sue) == [.own, .assignedComplaints])
    }

    @Test("explain names the rule that decided, and never a field value")
    func explain() {
        let policy = AccessPolicy(cast.organisation())
        let key = cast.customer(ownedBy: cast.rita, team: cast.eastOne, tier: .key, accountManager: cast.ray)
        let explanation = policy.explain(Principal(staffId: cast.rita), customer: key, now: now)
        #expect(explanation.decision == .deny(.keyCustomerRestricted))
        #expect(explanation.findings.contains { $0.rule == "key customer" && !$0.applies })
        #expect(explanation.description.contains("anchored to Ray"))
        let unknown = policy.explain(Principal(staffId: UUID()), customer: key, now: now)
        #expect(unknown.decision == .deny(.unknownPrincipal))
    }
}

@Suite("Access facts from stored entities")
struct CustomerAccessFactsTests {
    @Test("facts take the tier override and only open complaints of that customer")
    func fromEntities() {
        let generated = OrganisationGenerator(seed: 5).make(teams: 1, staffPerTeam: 2, customersPerStaff: 3)
        var customer = generated.customers[0]
        customer.tier = .normal
        customer.tierOverride = .key
        let agent = UUID()
        let closedAgent = UUID()
        let now = AccessFixtures.now
        func complaint(for customerId: UUID, assignee: UUID, stage: Complaint.Stage) -> Complaint {
            Complaint(
                customerId: customerId, ownerId: customer.ownerId, number: "C-1", severity: .low, stage: stage,
                receivedAt: now, assigneeId: assignee, createdAt: now)
        }
        let open = complaint(for: customer.id, assignee: agent, stage: .received)
        let closed = complaint(for: customer.id, assignee: closedAgent, stage: .closed)
        let elsewhere = complaint(for: UUID(), assignee: closedAgent, stage: .received)
        let facts = CustomerAccessFacts(customer, complaints: [open, closed, elsewhere])
        #expect(facts.tier == .key && facts.ownerId == customer.ownerId && facts.teamId == customer.teamId)
        #expect(facts.openComplaintAssignees == [agent])
        #expect(facts.tags == customer.tags.values)
    }
}
