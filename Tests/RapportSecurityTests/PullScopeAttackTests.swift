import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

/// The baseline every other attack builds on: what a rep's devices receive through pulls.
@Suite("Attack: pull scope")
struct PullScopeAttackTests {
    @Test("a rep's pulls carry no byte of another rep's customer, nor secret fields of their own")
    func pullsCarryOnlyTheRepsBook() async throws {
        let org = try await AttackOrg.start()
        let own = try await org.customer(owner: org.ana, number: 1)
        let others = [
            try await org.customer(owner: org.bob, number: 2), try await org.customer(owner: org.carl, number: 3),
        ]
        let ana = try await org.device("ana")
        let replies = try await ana.pullAll()
        #expect(replies.allSatisfy { $0.status == 200 })
        let bytes = replies.map(\.text).joined()
        #expect(bytes.contains(own.id.uuidString.lowercased()) || bytes.contains(own.id.uuidString))
        for other in others {
            #expect(!bytes.contains(other.id.uuidString) && !bytes.contains(other.id.uuidString.lowercased()))
            for secret in other.secrets.all { #expect(!bytes.contains(secret), "leaked \(secret)") }
        }
        for secret in [own.secrets.phone, own.secrets.email, own.secrets.notes, String(own.secrets.creditLimit)] {
            #expect(!bytes.contains(secret), "a sales rep received \(secret) in clear")
        }
        try await org.stop()
    }

    @Test("the new enemy: after a grant is revoked, the customer is evicted and a record created under it later never arrives")
    func newEnemy() async throws {
        let org = try await AttackOrg.start()
        let carls = try await org.customer(owner: org.carl, number: 9)
        let grant = AccessGrant(
            id: UUID(), granteeId: org.ana.id, target: .customer(carls.id), permissions: [.read],
            reason: "cover", grantorId: org.mia.id, createdAt: Date().addingTimeInterval(-60),
            expiresAt: Date().addingTimeInterval(86_400))
        try await org.server.services.storage.saveGrant(grant)
        let ana = try await org.device("ana")
        let first = try SyncWire.decode(PullResponse.self, from: try #require(try await ana.pullAll().last).body)
        var revoked = grant
        revoked.revokedAt = Date().addingTimeInterval(-1)
        revoked.revokedBy = org.mia.id
        try await org.server.services.storage.saveGrant(revoked)
        let contact = Contact(
            customerId: carls.id, ownerId: org.carl.id, name: "New Person", role: .purchaser, phones: ["13955554444"],
            createdAt: Date())
        try await org.sync.serverWrite(RecordKey(.contact, contact.id), fields: try contact.fieldMap().filter { !$0.value.isNull })
        let after = try await ana.pullAll(from: first.cursor)
        let text = after.map(\.text).joined()
        #expect(!text.contains(contact.id.uuidString) && !text.contains("New Person") && !text.contains("13955554444"))
        let evicted = try after.flatMap { try SyncWire.decode(PullResponse.self, from: $0.body).evictions }
        #expect(evicted.contains { $0.recordId == carls.id && $0.reason == .grantRevoked }, "\(evicted)")
        try await org.stop()
    }
}
