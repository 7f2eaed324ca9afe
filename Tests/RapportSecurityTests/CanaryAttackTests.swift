import Foundation
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportServer
import RapportServerTesting
import RapportProtocol
import RapportSyncServer
import Testing

/// A rep who means to leave syncs their book and tries to strip the planted canaries before
/// copying it; when a copy surfaces anyway, the administrator traces it from the masked values
/// the rep's device actually received.
@Suite("Attack: spotting and stripping canaries")
struct CanaryAttackTests {
    /// A book like a real one: coded customers with a full profile, contacts, interactions and
    /// orders over the last year, written on the server's authority as imports are.
    static func plantRealBook(_ org: AttackOrg, owner: Staff, count: Int) async throws -> [UUID] {
        var ids: [UUID] = []
        let now = Date()
        for number in 0..<count {
            let created = now.addingTimeInterval(-Double(200 + number * 13) * 86_400)
            let customer = Customer(
                kind: .individual, name: "客户\(number)", code: String(format: "KH-24%04d", 37 + number * 7),
                sourceChannel: number % 2 == 0 ? .referral : .tradeShow, ownerId: owner.id, teamId: owner.teamId,
                tier: .normal, creditLimit: Int64(50_000 + number * 10_000), tags: ["wholesale"],
                notes: "prefers calls after 5pm", createdAt: created,
                individual: IndividualProfile(
                    gender: number % 2 == 0 ? .female : .male,
                    birthDate: CalendarDate("198\(number % 10)-0\(1 + number % 9)-1\(number % 10)"),
                    phones: [String(format: "1390000%04d", 1_000 + number)],
                    emails: ["customer\(number)@corp.example"], address: "上海市徐汇区漕溪北路\(100 + number)号",
                    incomeBand: .from5kTo10k, occupation: "engineer"))
            try await org.sync.serverWrite(RecordKey(.customer, customer.id), fields: Self.fields(customer))
            let contact = Contact(
                customerId: customer.id, ownerId: owner.id, name: "联系人\(number)", role: .decisionMaker,
                phones: [String(format: "1370000%04d", 2_000 + number)], createdAt: created)
            try await org.sync.serverWrite(RecordKey(.contact, contact.id), fields: Self.fields(contact))
            for visit in 0..<2 {
                let interaction = Interaction(
                    customerId: customer.id, ownerId: owner.id, channel: .visit, direction: .outbound,
                    purpose: .information,
                    occurredAt: created.addingTimeInterval(Double(visit + 1) * 30 * 86_400), subject: "quarterly visit",
                    createdAt: created)
                try await org.sync.serverWrite(
                    RecordKey(.interaction, interaction.id), fields: Self.fields(interaction))
            }
            let order = Order(
                customerId: customer.id, ownerId: owner.id, number: String(format: "SO-%06d", 500 + number),
                orderedAt: created.addingTimeInterval(45 * 86_400), netAmount: Int64(120_000 + number * 3_100),
                grossProfit: 30_000, createdAt: created)
            try await org.sync.serverWrite(RecordKey(.order, order.id), fields: Self.fields(order))
            ids.append(customer.id)
        }
        return ids
    }

    static func fields<E: Entity>(_ record: E) throws -> FieldMap {
        try record.fieldMap().filter { !$0.value.isNull }
    }

    /// Plants Ana's canaries as an administrator over HTTP and returns their customer ids.
    static func plantCanaries(_ org: AttackOrg, for staff: Staff, token: String) async throws -> Set<UUID> {
        let reply = try await org.server.post("/v1/admin/canaries", ["staffId": staff.id.uuidString], token: token)
        #expect(reply.status == 201, "\(reply.text)")
        let planted = (reply.json["planted"] as? [[String: Any]]) ?? []
        return Set(planted.compactMap { ($0["customerId"] as? String).flatMap(UUID.init(uuidString:)) })
    }

    /// Everything Ana's new device receives: the records it would store, by kind and id.
    static func received(_ device: Insider) async throws -> (records: [RecordKey: FieldMap], bytes: String) {
        var records: [RecordKey: FieldMap] = [:]
        var bytes = ""
        for reply in try await device.pullAll() {
            #expect(reply.status == 200)
            bytes += reply.text
            let page = try SyncWire.decode(PullResponse.self, from: reply.body)
            for change in page.changes { records[RecordKey(change.entity, change.recordId)] = change.fields }
        }
        return (records, bytes)
    }

    static func isPresent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null: false
        case .array(let items): !items.isEmpty
        case .string(let text): !text.isEmpty
        default: true
        }
    }

    @Test("a rep's synced book gives no structural test that tells canaries from real customers")
    func canariesLookLikeTheBook() async throws {
        let org = try await AttackOrg.start()
        let token = try await org.server.login(org.server.admin.loginName, password: org.server.admin.password).tokens
            .accessToken
        let real = Set(try await Self.plantRealBook(org, owner: org.ana, count: 8))
        let canaries = try await Self.plantCanaries(org, for: org.ana, token: token)
        #expect(canaries.count == 3)
        let (records, _) = try await Self.received(try await org.device("ana"))

        // The attacker's test: a field that most real customers carry, missing on a customer.
        let customers = records.filter { $0.key.kind == .customer }
        let realFields = customers.filter { real.contains($0.key.id) }.map(\.value)
        #expect(realFields.count == real.count)
        let paths = Set(realFields.flatMap(\.keys))
        let usual = paths.filter { path in realFields.filter { Self.isPresent($0[path]) }.count * 2 > realFields.count }
        for id in canaries {
            let fields = try #require(customers[RecordKey(.customer, id)], "canary \(id) did not reach the device")
            let missing = usual.filter { !Self.isPresent(fields[$0]) }.sorted()
            #expect(missing.isEmpty, "canary \(id) lacks \(missing), which most real customers have")
        }
        // … or a customer without contacts, interactions or orders.
        for kind in [EntityKind.contact, .interaction, .order] {
            let parents = Set(
                records.filter { $0.key.kind == kind }.compactMap { $0.value["customerId"]?.stringValue }
                    .compactMap(UUID.init(uuidString:)))
            for id in canaries { #expect(parents.contains(id), "canary \(id) has no \(kind)") }
        }
        // … or a customer code outside the book's pattern.
        for id in canaries {
            let code = customers[RecordKey(.customer, id)]?["code"]?.stringValue ?? ""
            #expect(code.wholeMatch(of: /KH-24\d{4}/) != nil, "canary code '\(code)'")
        }
        try await org.stop()
    }

    @Test("tracing the masked phone, masked e-mail, code or a history record id a rep received names that rep")
    func maskedValuesTraceBackToTheRep() async throws {
        let org = try await AttackOrg.start()
        let token = try await org.server.login(org.server.admin.loginName, password: org.server.admin.password).tokens
            .accessToken
        _ = try await Self.plantRealBook(org, owner: org.ana, count: 4)
        _ = try await Self.plantRealBook(org, owner: org.bob, count: 4)
        let canaries = try await Self.plantCanaries(org, for: org.ana, token: token)
        _ = try await Self.plantCanaries(org, for: org.bob, token: token)
        let (records, _) = try await Self.received(try await org.device("ana"))

        func trace(_ value: String) async throws -> [[String: Any]] {
            let reply = try await org.server.post("/v1/admin/canaries/trace", ["value": value], token: token)
            #expect(reply.status == 200, "\(reply.text)")
            return reply.json["staff"] as? [[String: Any]] ?? []
        }
        func names(_ staff: [[String: Any]]) -> Set<String> { Set(staff.compactMap { $0["staffId"] as? String }) }
        let ana = org.ana.id.uuidString

        for id in canaries {
            let fields = try #require(records[RecordKey(.customer, id)])
            let phone = try #require(fields["individual.phones"]?.arrayValue?.first?.stringValue)
            let email = try #require(fields["individual.emails"]?.arrayValue?.first?.stringValue)
            #expect(phone.contains("****") && email.contains("***"), "the rep received \(phone), \(email)")
            for value in [phone, email, fields["code"]?.stringValue ?? "-"] {
                let found = try await trace(value)
                #expect(names(found).contains(ana), "tracing '\(value)' did not name Ana: \(found)")
            }
            let history = records.filter { $0.value["customerId"]?.stringValue == id.uuidString }.map(\.key.id)
            #expect(!history.isEmpty)
            for child in history {
                #expect(names(try await trace(child.uuidString)) == [ana], "history record \(child)")
            }
        }
        // A masked phone that is no canary's names nobody.
        #expect(try await trace("139****0000").isEmpty)
        try await org.stop()
    }
}
