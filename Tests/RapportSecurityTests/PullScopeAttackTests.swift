import Foundation
import RapportModels
import RapportProtocol
import RapportServerTesting
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
}
