import Foundation
import RapportModels
import RapportTesting
import Testing

@Suite("Organisation generator")
struct OrganisationGeneratorTests {
    static let organisation = OrganisationGenerator(seed: 2026).make(
        teams: 3, staffPerTeam: 4, customersPerStaff: 6)

    @Test func sameSeedGivesTheSameOrganisation() {
        let again = OrganisationGenerator(seed: 2026).make(teams: 3, staffPerTeam: 4, customersPerStaff: 6)
        #expect(again == Self.organisation)
        let other = OrganisationGenerator(seed: 2027).make(teams: 3, staffPerTeam: 4, customersPerStaff: 6)
        #expect(other.customers.map(\.id) != Self.organisation.customers.map(\.id))
    }

    @Test func sizesMatchTheRequest() {
        let org = Self.organisation
        #expect(org.teams.count == 3)
        #expect(org.staff.count == 12)
        #expect(org.customers.count == 72)
        #expect(
            org.teams.allSatisfy { team in org.staff(in: team.id).filter(\.isManager).map(\.id) == [team.managerId] })
        for member in org.staff {
            #expect(org.customers(ownedBy: member.id).count == 6)
            #expect(org.customers(ownedBy: member.id).allSatisfy { $0.teamId == member.teamId })
        }
    }

    @Test func everyRecordIsValidAndRoundTrips() throws {
        for record in Self.organisation.allEntities {
            try record.validate()
            #expect(try EntityRoundTripTests.isEqual(record, EntityRoundTripTests.jsonRoundTrip(record)))
        }
    }

    @Test func theMixIsBelievable() {
        let org = Self.organisation
        let kinds = Set(org.customers.map(\.kind))
        #expect(kinds == [.individual, .enterprise])
        #expect(org.customers.contains { $0.name.unicodeScalars.contains { $0.value >= 0x4E00 } })
        #expect(org.customers.contains { $0.name.allSatisfy(\.isASCII) })
        #expect(!org.contacts.isEmpty && !org.orders.isEmpty && !org.complaints.isEmpty && !org.surveys.isEmpty)
        let customerIds = Set(org.customers.map(\.id))
        #expect(org.orders.allSatisfy { customerIds.contains($0.customerId) })
        #expect(
            org.contacts.allSatisfy { contact in
                org.customers.first { $0.id == contact.customerId }?.kind == .enterprise
            })
        let now = OrganisationGenerator.defaultReferenceDate
        #expect(org.orders.allSatisfy { $0.orderedAt <= now })
        #expect(Set(org.complaints.map(\.stage)).count > 1)
    }

    @Test func idsAreUnique() {
        let ids =
            Self.organisation.allEntities.map(\.id) + Self.organisation.staff.map(\.id)
            + Self.organisation.teams.map(\.id)
        #expect(Set(ids).count == ids.count)
    }

    @Test func splitMix64IsTheReferenceSequence() {
        var rng = SplitMix64(seed: 1_234_567)
        #expect(rng.next() == 6_457_827_717_110_365_317)
        #expect(rng.next() == 3_203_168_211_198_807_973)
    }
}
