import Foundation
import Logging
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// Properties over a generated organisation, for every member of staff (managers, reps, an
/// auditor, a support agent, a rep on notice, a rep with a grant and one with a revoked grant),
/// checked over real HTTP:
///
/// 1. three answers, one truth: what lands on the device, the single-record check
///    (`AccessPolicy.canRead`) and the scope listing agree;
/// 2. no byte of any answer carries a value the person may not read in clear;
/// 3. a push naming a record out of reach reads exactly as one naming a record that does not
///    exist;
/// 4. every delivery is counted (beyond the own book) and audited.
@Suite("Attack: one truth over a generated organisation")
struct OneTruthAttackTests {
    /// The leaves of a JSON document: strings, and numbers as text.
    static func leaves(_ data: Data) -> (strings: [String], numbers: Set<String>) {
        var strings: [String] = []
        var numbers: Set<String> = []
        func walk(_ value: Any) {
            switch value {
            case let string as String: strings.append(string)
            case let number as NSNumber: numbers.insert(number.stringValue)
            case let array as [Any]: array.forEach(walk)
            case let object as [String: Any]: object.values.forEach(walk)
            default: break
            }
        }
        if let object = try? JSONSerialization.jsonObject(with: data) { walk(object) }
        return (strings, numbers)
    }

    /// The distinctive values of sensitive and secret fields: strings of 7 characters or more,
    /// integers of 6 digits or more (leaves of arrays included).
    static func secretValues(_ kind: EntityKind, _ fields: FieldMap, allClasses: Bool = false) -> [(path: String, value: String)] {
        var found: [(String, String)] = []
        for (path, value) in fields {
            let fieldClass = FieldRegistry.descriptor(kind, path)?.fieldClass ?? .sensitive
            guard allClasses || fieldClass != .ordinary else { continue }
            func take(_ value: JSONValue) {
                switch value {
                case .string(let text) where text.count >= 7: found.append((path, text))
                case .int(let number) where abs(number) >= 100_000: found.append((path, String(number)))
                case .array(let items): items.forEach(take)
                default: break
                }
            }
            take(value)
        }
        return found
    }

    @Test("every principal: device, check and listing agree; nothing unreadable leaks; out of reach reads as missing; deliveries counted and audited", arguments: [UInt64(2026), 14])
    func oneTruth(seed: UInt64) async throws {
        let generated = OrganisationGenerator(seed: seed).make(teams: 3, staffPerTeam: 3, customersPerStaff: 3)
        // Sync, quotas and detection read a clock that stands still at the test's start, so the
        // quota's local day cannot end mid-test; the policy checks below use the same instant.
        let startMillis = Int64(Date().timeIntervalSince1970 * 1_000)
        let server = try await LiveServer.start(
            label: "rapport-truth", logLevel: .error, clock: ManualWallClock(startMillis: startMillis))
        let now = Date(timeIntervalSince1970: Double(startMillis) / 1_000)
        let storage = server.services.storage
        let sync = server.services.sync
        for team in generated.teams { try await storage.saveTeam(Team(id: team.id, name: team.name)) }
        var people: [(staff: Staff, login: String)] = []
        for (index, person) in generated.staff.enumerated() {
            let roles: Set<RoleID> =
                person.isManager ? [.manager] : index == 2 ? [.auditor] : index == 5 ? [.supportAgent] : [.salesRep]
            let staff = Staff(id: person.id, name: person.name, teamId: person.teamId, roles: roles, status: index == 7 ? .notice : .active)
            try await storage.saveStaff(staff)
            let login = "person\(index)"
            try await server.services.identity.setPassword(staffId: staff.id, loginName: login, password: "correct horse battery")
            people.append((staff, login))
        }
        var keys: [RecordKey: FieldMap] = [:]
        for entity in generated.allEntities {
            let key = RecordKey(type(of: entity).kind, entity.id)
            let fields = try entity.fieldMap().filter { !$0.value.isNull }
            try await sync.serverWrite(key, fields: fields)
            keys[key] = fields
        }
        // A grant on a customer of another team, and a revoked one.
        let grantor = try #require(people.first { $0.staff.roles.contains(.manager) }).staff.id
        let reps = people.filter { $0.staff.roles == [.salesRep] && $0.staff.status == .active }
        let granted = try #require(reps.first)
        let revoked = try #require(reps.last)
        for (grantee, revokedAt) in [(granted.staff, nil as Date?), (revoked.staff, now.addingTimeInterval(-60))] {
            let other = try #require(generated.customers.first { $0.teamId != grantee.teamId })
            try await storage.saveGrant(
                AccessGrant(
                    id: UUID(), granteeId: grantee.id, target: .customer(other.id), permissions: [.read, .write],
                    reason: "cover", grantorId: grantor, createdAt: now.addingTimeInterval(-3_600),
                    expiresAt: now.addingTimeInterval(86_400), revokedAt: revokedAt))
        }

        for (staff, login) in people {
            let device = Insider(server: server, login: try await server.login(login))
            let principal = SyncPrincipal(staffId: staff.id, deviceId: device.deviceId)
            let policy = try await sync.policies.current()
            let who = Principal(staffId: staff.id, deviceId: device.deviceId)
            let time = now

            // What the policy says, record by record.
            var readable: Set<RecordKey> = []
            var customerOf: [RecordKey: UUID] = [:]
            for key in keys.keys {
                let customerId = key.kind == .customer ? key.id : keys[key]?["customerId"]?.stringValue.flatMap(UUID.init(uuidString:))
                guard let customerId, let facts = try await sync.storage.customerFacts(customerId) else { continue }
                customerOf[key] = customerId
                if policy.canRead(who, key.kind, of: facts, now: time).isAllowed { readable.insert(key) }
            }
            // 1. three answers, one truth.
            let replies = try await device.pullAll()
            #expect(replies.allSatisfy { $0.status == 200 }, "\(login): \(replies.map(\.status))")
            var landed: Set<RecordKey> = []
            for reply in replies where reply.status == 200 {
                for change in try SyncWire.decode(PullResponse.self, from: reply.body).changes where change.kind != .deleted {
                    landed.insert(RecordKey(change.entity, change.recordId))
                }
            }
            #expect(landed == readable, "\(login) (\(staff.roles), \(staff.status)): landed \(landed.count), policy says \(readable.count)")
            #expect(try await sync.scope.visibleRecords(for: principal) == readable)

            // 2. no value the person may not read in clear, in any byte of any answer.
            var allowed: Set<String> = []
            var forbidden: [String: String] = [:]
            for (key, fields) in keys {
                // A value the person reads in clear anywhere (an enumeration's case, a shared
                // note) is theirs to see; only values they cannot read anywhere must not appear.
                for (path, value) in Self.secretValues(key.kind, fields, allClasses: true)
                where readable.contains(key) && policy.readsInClear(who, key.kind, path: path, now: time) {
                    allowed.insert(value)
                }
                for (path, value) in Self.secretValues(key.kind, fields)
                where !(readable.contains(key) && policy.readsInClear(who, key.kind, path: path, now: time)) {
                    forbidden[value] = "\(key.kind.rawValue).\(path)"
                }
            }
            var probes: [LiveServer.Reply] = replies
            // 3. pushes at records out of reach read as pushes at nothing.
            let missing = UUID()
            let ghost = try await device.push([try device.update(missing, version: 1, ["name": "x"], base: ["name": "y"])])
            let ghostShape = PushChannelAttackTests.shape(ghost, replacing: [missing])
                .replacingOccurrences(of: #""clientMutationId":"[^"]*""#, with: "", options: .regularExpression)
            for key in keys.keys.filter({ $0.kind == .customer && !readable.contains($0) }).sorted(by: { $0.id.uuidString < $1.id.uuidString }).prefix(3) {
                let reply = try await device.push([
                    try device.update(key.id, version: 1, ["name": "x"], base: ["name": keys[key]?["name"] ?? "y"])
                ])
                probes.append(reply)
                let shape = PushChannelAttackTests.shape(reply, replacing: [key.id])
                    .replacingOccurrences(of: #""clientMutationId":"[^"]*""#, with: "", options: .regularExpression)
                #expect(shape == ghostShape, "\(login): \(reply.text)")
            }
            for reply in probes {
                let (strings, numbers) = Self.leaves(reply.body)
                for (value, origin) in forbidden where !allowed.contains(value) {
                    let leaked = numbers.contains(value) || strings.contains { $0.contains(value) }
                    #expect(!leaked, "\(login) (\(staff.roles), \(staff.status)) received \(origin) = \(value)")
                }
            }

            // 4. counted and audited.
            let deliveredCustomers = Set(landed.compactMap { customerOf[$0] })
            let audited = try await server.services.audit.query(AuditQuery(staffId: staff.id, action: .recordsSent, limit: 1_000))
            let auditedCustomers = Set(audited.entries.flatMap(\.recordIds))
            #expect(deliveredCustomers.isSubset(of: auditedCustomers), "\(login): deliveries missing from the audit log")
            var beyondOwnBook = 0
            for customer in deliveredCustomers {
                if let facts = try await sync.storage.customerFacts(customer), !policy.isOwnBook(staff.id, customer: facts) {
                    beyondOwnBook += 1
                }
            }
            let usage = try await sync.quotas.usage(staffId: staff.id, policy: policy, now: now)
            #expect(usage.distinctCustomersToday == beyondOwnBook, "\(login): counted \(usage.distinctCustomersToday)")
        }
        try await server.stop()
    }
}
