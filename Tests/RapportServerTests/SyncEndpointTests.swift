import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// The sync endpoints on a real server (ephemeral port, fresh data directory): sign in, push,
/// pull, conflicts, rejections, replays, evictions, wipe, masking, quotas, the live channel
/// and bad input.
@Suite("Sync endpoints")
struct SyncEndpointTests {
    /// One signed-in device speaking the sync protocol over HTTP.
    struct Device {
        let server: TestServer
        let login: LoginResponse
        var token: String { login.tokens.accessToken }
        var id: UUID { login.deviceId }
        var staffId: UUID { login.staff.id }

        func hlc(minus millis: Int64 = 0, counter: Int = 0) throws -> HLCTimestamp {
            try HLCTimestamp(
                physicalMillis: Int64(Date().timeIntervalSince1970 * 1000) - millis, counter: counter,
                node: id.uuidString.lowercased())
        }

        func push(_ mutations: [Mutation]) async throws -> TestServer.Reply {
            try await server.send(.POST, "/v1/sync/push", body: try SyncWire.encode(PushRequest(mutations: mutations)), token: token)
        }

        func pushed(_ mutations: [Mutation]) async throws -> PushResponse {
            let reply = try await push(mutations)
            #expect(reply.status == 200, "\(reply.text)")
            return try SyncWire.decode(PushResponse.self, from: reply.body)
        }

        func pull(_ cursor: String? = nil, limit: Int? = nil) async throws -> TestServer.Reply {
            try await server.send(
                .POST, "/v1/sync/pull", body: try SyncWire.encode(PullRequest(cursor: cursor, limit: limit)), token: token)
        }

        func pulled(_ cursor: String? = nil) async throws -> PullResponse {
            let reply = try await pull(cursor)
            #expect(reply.status == 200, "\(reply.text)")
            return try SyncWire.decode(PullResponse.self, from: reply.body)
        }

        func create(_ customer: Customer) throws -> Mutation {
            Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0,
                fields: try customer.fieldMap().filter { !$0.value.isNull }, hlc: try hlc())
        }

        func update(_ id: UUID, version: Int64, _ fields: FieldMap, base: FieldMap, hlc: HLCTimestamp? = nil) throws
            -> Mutation
        {
            Mutation(
                clientMutationId: UUID(), entity: .customer, recordId: id, op: .update, baseVersion: version,
                fields: fields, base: base, hlc: try hlc ?? self.hlc())
        }
    }

    /// A server with one team: a manager and two reps (ana, bob), all with logins.
    struct Fixture {
        let server: TestServer
        let team: Team
        let manager: Staff
        let ana: Staff
        let bob: Staff

        static func start() async throws -> Fixture { try await start { _ in } }

        func device(_ login: String) async throws -> Device {
            Device(server: server, login: try await server.login(login))
        }

        func customer(owner: Staff, name: String = "王芳", tags: TagSet = []) -> Customer {
            Customer(
                kind: .individual, name: name, sourceChannel: .referral, ownerId: owner.id, teamId: team.id,
                tags: tags, notes: "likes tea", createdAt: Date(),
                individual: IndividualProfile(phones: ["13812345678"], emails: ["wang.fang@example.cn"]))
        }

        var sync: SyncService { server.services.sync }
    }

    @Test("sign in, push, pull on another device: the record arrives, masked for the role")
    func roundTrip() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let tablet = try await fixture.device("ana")
        let customer = fixture.customer(owner: fixture.ana)
        let pushed = try await phone.pushed([try phone.create(customer)])
        #expect(pushed.results[0].status == .applied && pushed.results[0].version == 1)
        #expect(pushed.results[0].record?.fields["name"] == "王芳")

        let page = try await tablet.pulled()
        let change = try #require(page.changes.first)
        #expect(page.changes.count == 1 && change.kind == .full && change.recordId == customer.id)
        #expect(change.fields["name"] == "王芳" && change.fields["notes"] != "likes tea")
        #expect(change.masked?.contains("individual.phones") == true)
        #expect(!page.hasMore)
        let empty = try await tablet.pulled(page.cursor)
        #expect(empty.changes.isEmpty && empty.evictions.isEmpty)
        let metrics = fixture.server.services.metrics.render()
        #expect(metrics.contains("rapport_sync_pushes_total 1") && metrics.contains("rapport_sync_pulls_total 2"))
        try await fixture.server.stop()
    }

    @Test("same field edited on two devices: merged with base, yours and theirs; the record is the winner")
    func sameFieldConflict() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let tablet = try await fixture.device("ana")
        let customer = fixture.customer(owner: fixture.ana, name: "base")
        _ = try await phone.pushed([try phone.create(customer)])
        let late = try tablet.update(customer.id, version: 1, ["name": "from tablet"], base: ["name": "base"])
        #expect(try await tablet.pushed([late]).results[0].status == .applied)
        let early = try phone.update(
            customer.id, version: 1, ["name": "from phone"], base: ["name": "base"], hlc: try phone.hlc(minus: 60_000))
        let result = try await phone.pushed([early]).results[0]
        let conflict = try #require(result.conflicts?.first)
        #expect(result.status == .merged)
        #expect(conflict.field == "name" && conflict.base == "base" && conflict.yours == "from phone")
        #expect(conflict.theirs == "from tablet" && conflict.result == "from tablet" && conflict.winner == .theirs)
        #expect(result.record?.fields["name"] == "from tablet")
        #expect(fixture.server.services.metrics.render().contains("rapport_sync_conflicts_total 1"))
        try await fixture.server.stop()
    }

    @Test("a conflict on a sensitive field is reported masked, never in clear")
    func conflictReportsAreMasked() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let tablet = try await fixture.device("ana")
        let customer = fixture.customer(owner: fixture.ana)
        _ = try await phone.pushed([try phone.create(customer)])
        let base: FieldMap = ["individual.phones": ["13812345678"]]
        _ = try await tablet.pushed([
            try tablet.update(customer.id, version: 1, ["individual.phones": ["13987654321"]], base: base)
        ])
        let reply = try await phone.push([
            try phone.update(
                customer.id, version: 1, ["individual.phones": ["13700001111"]], base: base,
                hlc: try phone.hlc(minus: 60_000))
        ])
        #expect(reply.status == 200)
        #expect(reply.text.contains("\"conflicts\""))
        for raw in ["13812345678", "13987654321", "13700001111"] { #expect(!reply.text.contains(raw)) }
        try await fixture.server.stop()
    }

    @Test("a validation failure is rejected with the server's record; later mutations still apply")
    func rejection() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let customer = fixture.customer(owner: fixture.ana)
        _ = try await phone.pushed([try phone.create(customer)])
        let response = try await phone.pushed([
            try phone.update(customer.id, version: 1, ["paymentTermDays": 999], base: ["paymentTermDays": .null]),
            try phone.update(customer.id, version: 1, ["code": "C-1"], base: ["code": .null]),
        ])
        let rejected = response.results[0]
        #expect(rejected.status == .rejected && rejected.rejection?.code == .validation)
        #expect(rejected.rejection?.field == "paymentTermDays" && rejected.rejection?.rule == "range")
        // The record is the server's current state after the whole push (the second mutation applied);
        // its empty `paymentTermDays` is left out on the wire (a full record sends no nulls).
        #expect(rejected.record?.fields["paymentTermDays"] == nil && rejected.record?.version == 2)
        #expect(response.results[1].status == .applied && response.results[1].version == 2)
        // Editing someone else's customer is refused as forbidden.
        let bob = try await fixture.device("bob")
        let refused = try await bob.pushed([try bob.update(customer.id, version: 2, ["code": "X"], base: ["code": "C-1"])])
        #expect(refused.results[0].status == .rejected && refused.results[0].rejection?.code == .forbidden)
        #expect(refused.results[0].record == nil)
        try await fixture.server.stop()
    }

    @Test("a replayed push changes nothing and answers the first outcome")
    func replay() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let customer = fixture.customer(owner: fixture.ana)
        let batch = [try phone.create(customer)]
        let first = try await phone.pushed(batch)
        let sequence = try await fixture.sync.storage.stableSequence()
        let again = try await phone.pushed(batch)
        #expect(again.results[0].replayed == true && again.results[0].status == first.results[0].status)
        #expect(again.results[0].version == 1)
        #expect(try await fixture.sync.storage.stableSequence() == sequence)
        try await fixture.server.stop()
    }

    @Test("reassignment evicts; a revoked grant evicts; a record created after the revocation never arrives")
    func evictionsAndTheNewEnemy() async throws {
        let fixture = try await Fixture.start()
        let ana = try await fixture.device("ana")
        let bob = try await fixture.device("bob")
        let moved = fixture.customer(owner: fixture.ana, name: "moved")
        let shared = fixture.customer(owner: fixture.ana, name: "shared", tags: ["vip"])
        _ = try await ana.pushed([try ana.create(moved), try ana.create(shared)])
        let anaFirst = try await ana.pulled()
        #expect(anaFirst.changes.count == 2)

        // Bob gets a segment grant on "vip" customers: the shared one enters his scope.
        let grant = AccessGrant(
            id: UUID(), granteeId: fixture.bob.id, target: .segment(CustomerSegment(tag: "vip")), reason: "cover",
            grantorId: fixture.manager.id, createdAt: Date().addingTimeInterval(-60),
            expiresAt: Date().addingTimeInterval(86_400))
        try await fixture.server.services.storage.saveGrant(grant)
        let bobFirst = try await bob.pulled()
        #expect(bobFirst.changes.map(\.recordId) == [shared.id])

        // Reassignment: the old owner's next pull evicts, the new owner's delivers in full.
        try await fixture.sync.serverWrite(
            RecordKey(.customer, moved.id), fields: ["ownerId": .string(fixture.bob.id.uuidString)],
            actor: fixture.manager.id)
        let anaSecond = try await ana.pulled(anaFirst.cursor)
        #expect(anaSecond.evictions == [Eviction(entity: .customer, recordId: moved.id, reason: .reassigned)])
        let bobSecond = try await bob.pulled(bobFirst.cursor)
        #expect(bobSecond.changes.map(\.recordId) == [moved.id] && bobSecond.changes[0].kind == .full)

        // Revoking the grant evicts the shared customer from Bob's device.
        var revoked = grant
        revoked.revokedAt = Date().addingTimeInterval(-1)
        revoked.revokedBy = fixture.manager.id
        try await fixture.server.services.storage.saveGrant(revoked)
        let bobThird = try await bob.pulled(bobSecond.cursor)
        #expect(bobThird.evictions == [Eviction(entity: .customer, recordId: shared.id, reason: .grantRevoked)])

        // New enemy: a vip customer created after the revocation never reaches Bob.
        let later = fixture.customer(owner: fixture.ana, name: "after revocation", tags: ["vip"])
        _ = try await ana.pushed([try ana.create(later)])
        let bobFourth = try await bob.pull(bobThird.cursor)
        let fresh = try await bob.pull()
        for reply in [bobFourth, fresh] {
            #expect(reply.status == 200)
            #expect(!reply.text.contains(later.id.uuidString) && !reply.text.contains("after revocation"))
        }
        #expect(fixture.server.services.metrics.render().contains("rapport_sync_evictions_total 2"))
        try await fixture.server.stop()
    }

    @Test("a revoked device is told to wipe on its next sync request")
    func wipeOnRevokedDevice() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        _ = try await phone.pulled()
        try await fixture.server.services.identity.revokeDevice(id: phone.id)
        for reply in [try await phone.pull(), try await phone.push([])] {
            #expect(reply.status == 403 && reply.errorCode == "wipeRequired")
            #expect((reply.json["wipe"] as? [String: Any])?["reason"] as? String == "deviceRevoked")
        }
        try await fixture.server.stop()
    }

    @Test("masking per role: the rep gets the phone masked and no credit limit; the manager gets the credit limit")
    func maskingPerRole() async throws {
        let fixture = try await Fixture.start()
        let ana = try await fixture.device("ana")
        let manager = try await fixture.device("martin")
        let customer = fixture.customer(owner: fixture.ana)
        _ = try await ana.pushed([try ana.create(customer)])
        // The credit limit (secret) is set by the finance feed: a rep may neither write nor read it.
        let secret = try await ana.pushed([try ana.update(customer.id, version: 1, ["creditLimit": 1], base: ["creditLimit": .null])])
        #expect(secret.results[0].rejection?.code == .forbidden)
        try await fixture.sync.serverWrite(RecordKey(.customer, customer.id), fields: ["creditLimit": 7_654_321])
        let repReply = try await ana.pull()
        let managerReply = try await manager.pull()
        #expect(repReply.status == 200 && managerReply.status == 200)
        for reply in [repReply, managerReply] {
            #expect(!reply.text.contains("13812345678") && !reply.text.contains("wang.fang@example.cn"))
            #expect(reply.text.contains("138****5678"))
        }
        #expect(!repReply.text.contains("7654321") && !repReply.text.contains("creditLimit"))
        #expect(managerReply.text.contains("7654321"))
        try await fixture.server.stop()
    }

    @Test("the daily quota counts customers beyond one's own book: the page delivers what fits and says so, then 429")
    func quotaExceeded() async throws {
        // Sync's clock stands still at 12:00 local (UTC+8), so the quota's day cannot end mid-test.
        let fixture = try await Fixture.start(clock: ManualWallClock(startMillis: 1_796_616_000_000)) { _ in }
        for var role in [Role.salesRep, Role.manager] {
            role.quotas.distinctCustomersPerDay = 2
            try await fixture.server.services.storage.saveRole(role)
        }
        let ana = try await fixture.device("ana")
        _ = try await ana.pushed((0..<3).map { _ in try ana.create(fixture.customer(owner: fixture.ana)) })
        // Ana's own book is free: all three arrive, whatever her quota.
        let own = try await ana.pulled()
        #expect(own.changes.count == 3 && own.limited == nil && !own.hasMore)
        // Her manager reads beyond his own book: two customers fit, the page says so.
        let manager = try await fixture.device("martin")
        let partial = try await manager.pulled()
        #expect(partial.changes.count == 2 && partial.hasMore)
        let limited = try #require(partial.limited)
        #expect(limited.message.contains("limit of 2 customers beyond your own") && limited.retryAfterSeconds > 0)
        // Nothing more fits today: 429 with Retry-After, and the cursor still holds the rest.
        let refused = try await manager.pull(partial.cursor)
        #expect(refused.status == 429 && refused.errorCode == "rateLimited")
        #expect(refused.headers.first(name: "Retry-After").flatMap(Int.init) ?? 0 > 0)
        try await fixture.server.stop()
    }

    @Test(
        "the live channel tells a device to pull after another device pushes, and ends at shutdown",
        .timeLimit(.minutes(2)))
    func liveChannel() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let tablet = try await fixture.device("ana")
        var request = HTTPClientRequest(url: fixture.server.baseURL + "/v1/sync/events")
        request.headers.add(name: "Authorization", value: "Bearer \(tablet.token)")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        #expect(response.status == .ok)
        #expect(response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
        var text = ""
        var iterator = response.body.makeAsyncIterator()
        while !text.contains(": connected\n\n"), let chunk = try await iterator.next() {
            text += String(buffer: chunk)
        }
        _ = try await phone.pushed([try phone.create(fixture.customer(owner: fixture.ana))])
        while !text.contains("event: changes\n"), let chunk = try await iterator.next() {
            text += String(buffer: chunk)
        }
        #expect(text.contains("event: changes\ndata: {}\n\n"))
        // Graceful shutdown ends the stream (the server stops although the client still listens).
        await fixture.server.beginShutdown()
        while let chunk = try await iterator.next() { text += String(buffer: chunk) }
        try await fixture.server.waitStopped()
        fixture.server.directory.remove()
    }

    @Test("bad sync input is refused with 4xx and a message saying what to do")
    func badInput() async throws {
        let fixture = try await Fixture.start { $0.limits.maxBatchSize = 2 }
        let phone = try await fixture.device("ana")
        let server = fixture.server
        let version = try await server.send(
            .POST, "/v1/sync/pull", body: Data(#"{"protocolVersion": 9}"#.utf8), token: phone.token)
        #expect(version.status == 426 && version.errorCode == "unsupportedProtocolVersion")
        #expect(version.errorMessage.contains("protocol version 9 is not supported"))
        #expect((version.json["error"] as? [String: Any])?["supportedVersions"] as? [Int] == [1])

        let mutations = try (0..<3).map { _ in try phone.create(fixture.customer(owner: fixture.ana)) }
        let batch = try await phone.push(mutations)
        #expect(batch.status == 413 && batch.errorCode == "batchTooLarge")
        #expect(batch.errorMessage.contains("split it into batches of at most 2"))

        let malformed = try await server.send(
            .POST, "/v1/sync/push", body: Data(#"{"protocolVersion": 1, "mutations": [{"op": 5}"#.utf8),
            token: phone.token)
        #expect(malformed.status == 400 && malformed.errorCode == "malformedRequest")
        #expect(!malformed.errorMessage.isEmpty)

        let page = try await phone.pull(limit: 10_000)
        #expect(page.status == 400 && page.errorCode == "pageTooLarge")

        let cursor = try await phone.pull("c1.nonsense")
        #expect(cursor.status == 400 && cursor.errorCode == "invalidCursor")

        let big = Data(("{\"protocolVersion\": 1, \"mutations\": [], \"pad\": \"" + String(repeating: "x", count: 5 << 20) + "\"}").utf8)
        let tooLarge = try await server.send(.POST, "/v1/sync/push", body: big, token: phone.token, streamed: true)
        #expect(tooLarge.status == 413 && tooLarge.errorCode == "bodyTooLarge")

        let anonymous = try await server.send(.POST, "/v1/sync/pull", body: Data(#"{"protocolVersion": 1}"#.utf8))
        #expect(anonymous.status == 401 && anonymous.errorCode == "unauthorized")
        try await server.stop()
    }
}

extension SyncEndpointTests.Fixture {
    /// A fixture whose server configuration `configure` adjusts.
    static func start(
        clock: any SyncWallClock = SystemWallClock(), configure: @escaping (inout ServerConfiguration) -> Void
    ) async throws -> Self {
        let server = try await TestServer.start(configure: configure, clock: clock)
        let team = Team(id: UUID(), name: "Sales North")
        try await server.services.storage.saveTeam(team)
        var people: [Staff] = []
        for (login, role) in [("martin", RoleID.manager), ("ana", .salesRep), ("bob", .salesRep)] {
            let staff = Staff(id: UUID(), name: login.capitalized, teamId: team.id, roles: [role])
            try await server.services.storage.saveStaff(staff)
            try await server.services.identity.setPassword(
                staffId: staff.id, loginName: login, password: "correct horse battery")
            people.append(staff)
        }
        return Self(server: server, team: team, manager: people[0], ana: people[1], bob: people[2])
    }
}
