import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import Testing

/// Push as a read channel (issue 14, class 1): an insider who may not read a record — or may
/// read a field only masked — pushes crafted mutations and studies every byte of the answer:
/// values, statuses, versions, conflict reports and messages.
@Suite("Attack: push as a read channel")
struct PushChannelAttackTests {
    /// The answer to one mutation with the parts the attacker chose (mutation id, record id)
    /// and the parts that vary with time (server clock) taken out, so two answers can be
    /// compared byte for byte.
    static func shape(_ reply: LiveServer.Reply, replacing ids: [UUID]) -> String {
        var text = reply.text
        for id in ids {
            text = text.replacingOccurrences(of: id.uuidString, with: "ID")
            text = text.replacingOccurrences(of: id.uuidString.lowercased(), with: "ID")
        }
        return text.replacingOccurrences(of: #""serverHlc":"[^"]*""#, with: #""serverHlc":"-""#, options: .regularExpression)
    }

    @Test("a write to another rep's customer is answered exactly as a write to a customer that does not exist")
    func outOfScopeLooksMissing() async throws {
        let org = try await AttackOrg.start()
        let target = try await org.customer(owner: org.ana, name: "Target Co", number: 7)
        let carl = try await org.device("carl")
        let bob = try await org.device("bob")
        let missing = UUID()
        for attacker in [carl, bob] {
            for (field, value) in [("name", "Target Co"), ("name", "wrong guess"), ("notes", target.secrets.notes)] as [(String, String)] {
                let mutationId = UUID()
                func mutation(_ id: UUID) throws -> Mutation {
                    Mutation(
                        clientMutationId: mutationId, entity: .customer, recordId: id, op: .update, baseVersion: 1,
                        fields: [field: .string(value + "!")], base: [field: .string(value)], hlc: try attacker.hlc())
                }
                let real = try await attacker.push([try mutation(target.id)])
                let ghost = try await attacker.push([
                    Mutation(
                        clientMutationId: UUID(), entity: .customer, recordId: missing, op: .update, baseVersion: 1,
                        fields: [field: .string(value + "!")], base: [field: .string(value)], hlc: try attacker.hlc())
                ])
                #expect(real.status == 200 && ghost.status == 200)
                for secret in target.secrets.all + ["Target Co"] where secret != value {
                    #expect(!real.text.contains(secret), "the answer carries \(secret)")
                }
                let results = try SyncWire.decode(PushResponse.self, from: real.body).results
                #expect(results.first?.status == .rejected && results.first?.rejection?.code == .forbidden, "\(real.text)")
                let ghostId = try SyncWire.decode(PushResponse.self, from: ghost.body).results.first?.clientMutationId ?? UUID()
                #expect(
                    Self.shape(real, replacing: [mutationId, target.id]) == Self.shape(ghost, replacing: [ghostId, missing]),
                    "out of scope: \(real.text)\nmissing: \(ghost.text)")
            }
            let delete = try await attacker.push([try attacker.delete(target.id, version: 1)])
            let deleteGhost = try await attacker.push([try attacker.delete(missing, version: 1)])
            #expect(
                Self.shape(delete, replacing: [target.id]).replacingOccurrences(
                    of: #""clientMutationId":"[^"]*""#, with: "", options: .regularExpression)
                    == Self.shape(deleteGhost, replacing: [missing]).replacingOccurrences(
                        of: #""clientMutationId":"[^"]*""#, with: "", options: .regularExpression))
        }
        // The target is untouched.
        let stored = try #require(try await org.sync.storage.record(RecordKey(.customer, target.id)))
        #expect(stored.version == 1 && stored.fields["name"] == "Target Co")
        try await org.stop()
    }

    @Test("a contact cannot be filed under another rep's customer, and the refusal reads as for a missing customer")
    func childOfOutOfScopeCustomer() async throws {
        let org = try await AttackOrg.start()
        let target = try await org.customer(owner: org.ana, number: 8)
        let carl = try await org.device("carl")
        func contact(for customerId: UUID) throws -> Mutation {
            let contact = Contact(
                customerId: customerId, ownerId: carl.staffId, name: "Spy", role: .other, phones: ["13900000000"],
                createdAt: Date())
            return try carl.create(.contact, contact.id, try contact.fieldMap().filter { !$0.value.isNull })
        }
        let real = try await carl.push([try contact(for: target.id)])
        let missing = UUID()
        let ghost = try await carl.push([try contact(for: missing)])
        let realResult = try #require(try SyncWire.decode(PushResponse.self, from: real.body).results.first)
        let ghostResult = try #require(try SyncWire.decode(PushResponse.self, from: ghost.body).results.first)
        #expect(realResult.status == .rejected && realResult.rejection?.code == .forbidden, "\(real.text)")
        #expect(realResult.rejection == ghostResult.rejection, "\(real.text) vs \(ghost.text)")
        try await org.stop()
    }

    /// Two customers of Ana's whose phones differ; the same guess is pushed against both. The
    /// answers (status, version, conflicts, rejection) must be the same: the phone is masked
    /// for a sales rep, so no answer may depend on it.
    @Test("a rep cannot learn a masked value of her own customer by guessing it in a push")
    func maskedFieldGuessingOracle() async throws {
        let org = try await AttackOrg.start()
        let right = try await org.customer(owner: org.ana, number: 11)
        let wrong = try await org.customer(owner: org.ana, number: 12)
        let ana = try await org.device("ana")
        let guess: JSONValue = .array([.string(right.secrets.phone)])
        // 1. write the guessed value: "no change" must not show.
        func result(_ reply: LiveServer.Reply) throws -> MutationResult {
            try #require(try SyncWire.decode(PushResponse.self, from: reply.body).results.first)
        }
        let a = try result(try await ana.push([try ana.update(right.id, version: 1, ["individual.phones": guess])]))
        let b = try result(try await ana.push([try ana.update(wrong.id, version: 1, ["individual.phones": guess])]))
        #expect(a.status == b.status && a.version == b.version && (a.conflicts == nil) == (b.conflicts == nil), "\(a) vs \(b)")

        // 2. the merge base as an oracle: the field changed after the base version on the
        // server; whether the base equals the stored value must not show either.
        let right2 = try await org.customer(owner: org.ana, number: 13)
        let wrong2 = try await org.customer(owner: org.ana, number: 14)
        for (customer, phone) in [(right2, right2.secrets.phone), (wrong2, wrong2.secrets.phone)] {
            var fields = try #require(try await org.sync.storage.record(RecordKey(.customer, customer.id))).fields
            fields["individual.phones"] = .array([.string(phone)])
            fields["name"] = "renamed"
            try await org.sync.serverWrite(RecordKey(.customer, customer.id), fields: fields)
        }
        let base: FieldMap = ["individual.phones": .array([.string(right2.secrets.phone)])]
        let newer: FieldMap = ["individual.phones": ["13911112222"]]
        let early = try ana.hlc(minus: 600_000)
        let c = try result(try await ana.push([try ana.update(right2.id, version: 1, newer, base: base, hlc: early)]))
        let d = try result(try await ana.push([try ana.update(wrong2.id, version: 1, newer, base: base, hlc: early)]))
        #expect(c.status == d.status && c.version == d.version && (c.conflicts == nil) == (d.conflicts == nil), "\(c) vs \(d)")
        try await org.stop()
    }

    @Test("a person on notice learns nothing from pushes to her own customers, and changes nothing")
    func noticePeriodPushes() async throws {
        let org = try await AttackOrg.start()
        let right = try await org.customer(owner: org.ana, number: 21)
        let wrong = try await org.customer(owner: org.ana, number: 22)
        let ana = try await org.device("ana")
        var staff = try #require(try await org.server.services.storage.staff(id: org.ana.id))
        staff.status = .notice
        try await org.server.services.storage.saveStaff(staff)
        let guess: FieldMap = ["notes": .string(right.secrets.notes)]
        let a = try await ana.push([try ana.update(right.id, version: 1, guess, base: guess)])
        let b = try await ana.push([try ana.update(wrong.id, version: 1, guess, base: guess)])
        let ra = try #require(try SyncWire.decode(PushResponse.self, from: a.body).results.first)
        let rb = try #require(try SyncWire.decode(PushResponse.self, from: b.body).results.first)
        #expect(ra.status == .rejected && ra.rejection?.code == .forbidden)
        #expect(ra.status == rb.status && ra.rejection == rb.rejection && ra.version == rb.version)
        for secret in right.secrets.all { #expect(!a.text.contains(secret)) }
        try await org.stop()
    }

    @Test("a stored push outcome keeps only what the pusher may read in clear")
    func storedOutcomesAreRedacted() async throws {
        let org = try await AttackOrg.start()
        let customer = try await org.customer(owner: org.ana, number: 31)
        let phone = try await org.device("ana")
        let tablet = try await org.device("ana")
        let base: FieldMap = ["individual.phones": .array([.string(customer.secrets.phone)])]
        _ = try await tablet.push([try tablet.update(customer.id, version: 1, ["individual.phones": ["13987654321"]], base: base)])
        let mutation = try phone.update(
            customer.id, version: 1, ["individual.phones": ["13700001111"]], base: base, hlc: try phone.hlc(minus: 60_000))
        let reply = try await phone.push([mutation])
        #expect(reply.text.contains("\"conflicts\""))
        let stored = try #require(try await org.sync.storage.outcome(of: mutation.clientMutationId))
        let text = String(decoding: try JSONEncoder().encode(stored.conflicts), as: UTF8.self)
        for raw in [customer.secrets.phone, "13987654321"] {
            #expect(!text.contains(raw), "the stored outcome keeps \(raw) in clear: \(text)")
            #expect(!reply.text.contains(raw))
        }
        try await org.stop()
    }

    /// 12:00 local (UTC+8) on 7 December 2026: a sync clock that stands still there keeps a
    /// quota's day from ending mid-test.
    static let noon = Date(timeIntervalSince1970: 1_796_616_000)

    @Test("records a push answer carries count toward the quota and are audited like a pull")
    func pushAnswersAreCountedAndAudited() async throws {
        let org = try await AttackOrg.start(clock: ManualWallClock(startMillis: 1_796_616_000_000))
        let customer = try await org.customer(owner: org.ana, number: 41)
        let mia = try await org.device("mia")
        let reply = try await mia.push([try mia.update(customer.id, version: 1, ["name": "Checked by Mia"])])
        let result = try #require(try SyncWire.decode(PushResponse.self, from: reply.body).results.first)
        #expect(result.status == .applied && result.record != nil)
        let policy = try await org.sync.policies.current()
        let usage = try await org.sync.quotas.usage(staffId: org.mia.id, policy: policy, now: Self.noon)
        #expect(usage.distinctCustomersToday == 1)
        let page = try await org.server.services.audit.query(AuditQuery(staffId: org.mia.id, action: .recordsSent))
        #expect(page.entries.contains { $0.recordIds.contains(customer.id) }, "\(page.entries.map(\.action))")
        try await org.stop()
    }
}
