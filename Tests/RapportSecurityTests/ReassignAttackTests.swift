import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

/// Reassignment through an ordinary write: a rep handing her customers to an accomplice, or
/// turning a temporary grant into ownership that outlives it.
@Suite("Attack: reassignment by push")
struct ReassignAttackTests {
    static func result(_ reply: LiveServer.Reply) throws -> MutationResult {
        try #require(try SyncWire.decode(PushResponse.self, from: reply.body).results.first)
    }

    @Test("a rep can neither give her customer to a colleague nor take one she reaches through a grant")
    func repsCannotMoveCustomers() async throws {
        let org = try await AttackOrg.start()
        let own = try await org.customer(owner: org.ana, number: 51)
        let carls = try await org.customer(owner: org.carl, number: 52)
        try await org.server.services.storage.saveGrant(
            AccessGrant(
                id: UUID(), granteeId: org.ana.id, target: .customer(carls.id), permissions: [.read, .write],
                reason: "holiday cover", grantorId: org.mia.id, createdAt: Date().addingTimeInterval(-60),
                expiresAt: Date().addingTimeInterval(86_400)))
        let ana = try await org.device("ana")
        // Give away to Carl (another team): he would keep it.
        let giveAway = try Self.result(
            try await ana.push([try ana.update(own.id, version: 1, ["ownerId": .string(org.carl.id.uuidString)])]))
        #expect(giveAway.status == .rejected && giveAway.rejection?.code == .forbidden, "\(giveAway)")
        // Take the granted customer: it would stay hers after the grant expires.
        let take = try Self.result(
            try await ana.push([
                try ana.update(
                    carls.id, version: 1,
                    ["ownerId": .string(org.ana.id.uuidString), "teamId": .string(org.north.id.uuidString)])
            ]))
        #expect(take.status == .rejected && take.rejection?.code == .forbidden, "\(take)")
        // Ordinary edits through the grant still work.
        let edit = try Self.result(try await ana.push([try ana.update(carls.id, version: 1, ["name": "Covered"])]))
        #expect(edit.status == .applied)
        for id in [own.id, carls.id] {
            let stored = try #require(try await org.sync.storage.record(RecordKey(.customer, id)))
            #expect(stored.fields["ownerId"] == .string((id == own.id ? org.ana : org.carl).id.uuidString))
        }
        try await org.stop()
    }

    @Test("a manager moves customers inside her team, not out of her reach")
    func managersMoveWithinReach() async throws {
        let org = try await AttackOrg.start()
        let customer = try await org.customer(owner: org.ana, number: 61)
        let mia = try await org.device("mia")
        let inside = try Self.result(
            try await mia.push([try mia.update(customer.id, version: 1, ["ownerId": .string(org.bob.id.uuidString)])]))
        #expect(inside.status == .applied, "\(inside)")
        let outside = try Self.result(
            try await mia.push([
                try mia.update(
                    customer.id, version: 2,
                    ["ownerId": .string(org.carl.id.uuidString), "teamId": .string(org.south.id.uuidString)])
            ]))
        #expect(outside.status == .rejected && outside.rejection?.code == .forbidden, "\(outside)")
        try await org.stop()
    }
}
