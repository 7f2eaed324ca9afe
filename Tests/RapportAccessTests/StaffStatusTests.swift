import Foundation
import RapportAccess
import RapportModels
import RapportTesting
import Testing

@Suite("Suspension, departure, devices and the notice period")
struct StaffStatusTests {
    let cast = AccessFixtures.Cast()
    let now = AccessFixtures.now

    @Test("suspended and departed staff get nothing, not even their own customers")
    func suspendedAndDeparted() {
        let policy = AccessPolicy(cast.organisation())
        for (person, reason) in [(cast.sid, DecisionReason.suspended), (cast.dan, .departed)] {
            let own = cast.customer(ownedBy: person, team: cast.eastOne)
            let principal = Principal(staffId: person)
            #expect(policy.canRead(principal, customer: own, now: now) == .deny(reason))
            #expect(policy.scope(for: principal, now: now) == .none)
            #expect(policy.fieldAccess(principal, .ordinary, now: now) == .hidden)
            #expect(policy.quotaLimits(for: person) == .zero)
            #expect(policy.mask(["name": "x"], kind: .customer, for: principal, now: now).fields.isEmpty)
        }
    }

    @Test("suspension applies to the very next decision: a new snapshot, no cache")
    func suspensionIsImmediate() {
        var organisation = cast.organisation()
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        #expect(AccessPolicy(organisation).canRead(Principal(staffId: cast.ray), customer: own, now: now).isAllowed)
        organisation.staff[4].status = .suspended
        #expect(
            AccessPolicy(organisation).canRead(Principal(staffId: cast.ray), customer: own, now: now)
                == .deny(.suspended))
    }

    @Test("a revoked, unknown or someone else's device gets nothing")
    func devices() {
        let policy = AccessPolicy(cast.organisation())
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        #expect(
            policy.canRead(Principal(staffId: cast.ray, deviceId: cast.rayPhone), customer: own, now: now).isAllowed)
        for device in [cast.rayOldPhone, UUID()] {
            #expect(
                policy.canRead(Principal(staffId: cast.ray, deviceId: device), customer: own, now: now)
                    == .deny(.deviceNotUsable))
        }
        #expect(
            policy.canRead(Principal(staffId: cast.rita, deviceId: cast.rayPhone), customer: own, now: now).reason
                == .deviceNotUsable)
    }

    @Test("notice period: reads continue, but no writes, no export, no unmasking, smaller quotas")
    func noticePeriod() {
        let policy = AccessPolicy(cast.organisation())
        let nora = Principal(staffId: cast.nora)
        let own = cast.customer(ownedBy: cast.nora, team: cast.eastOne)
        #expect(policy.canRead(nora, customer: own, now: now) == .allow(.owner))
        #expect(
            policy.canWrite(nora, .customer, action: .update, of: own, fields: ["name"], now: now).record
                == .deny(.noticePeriod))
        #expect(
            policy.canWrite(nora, .interaction, action: .create, of: own, fields: [], now: now).record
                == .deny(.noticePeriod))
        #expect(policy.canExport(nora, .customer, of: own, now: now) == .deny(.noticePeriod))
        #expect(policy.canReveal(nora, .customer, path: "individual.phones", of: own, now: now) == .deny(.noticePeriod))
        #expect(policy.fieldAccess(nora, .sensitive, now: now) == .masked)
        #expect(policy.fieldAccess(nora, .secret, now: now) == .hidden)
        let masked = policy.mask(
            ["individual.phones": ["13812345678"]], kind: .customer, for: nora, revealing: ["individual.phones"],
            now: now)
        #expect(masked.fields["individual.phones"] == ["138****5678"])
        #expect(masked.revealedPaths.isEmpty)
        let quotas = policy.quotaLimits(for: cast.nora)
        #expect(quotas.exportsPerDay == 0 && quotas.sensitiveRevealsPerHour == 0)
        #expect(quotas.distinctCustomersPerDay == AccessSettings().noticeQuotas.distinctCustomersPerDay)
        // The same person before notice.
        let rita = Principal(staffId: cast.rita)
        #expect(policy.fieldAccess(rita, .sensitive, now: now) == .revealOnRequest)
        #expect(policy.quotaLimits(for: cast.rita) == Role.salesRep.quotas)
    }
}
