import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting

/// One signed-in device of an insider, speaking the sync protocol over real HTTP and looking
/// at the raw bytes of every answer (what a script would see).
struct Insider: Sendable {
    let server: LiveServer
    let login: LoginResponse
    var token: String { login.tokens.accessToken }
    var deviceId: UUID { login.deviceId }
    var staffId: UUID { login.staff.id }

    /// A clock reading `millis` in the past on this device's node.
    func hlc(minus millis: Int64 = 0) throws -> HLCTimestamp {
        try HLCTimestamp(
            physicalMillis: Int64(Date().timeIntervalSince1970 * 1000) - millis, counter: 0,
            node: deviceId.uuidString.lowercased())
    }

    func push(_ mutations: [Mutation]) async throws -> LiveServer.Reply {
        try await server.send(.POST, "/v1/sync/push", body: try SyncWire.encode(PushRequest(mutations: mutations)), token: token)
    }

    func pull(_ cursor: String? = nil, limit: Int? = nil) async throws -> LiveServer.Reply {
        try await server.send(.POST, "/v1/sync/pull", body: try SyncWire.encode(PullRequest(cursor: cursor, limit: limit)), token: token)
    }

    /// Every page from `cursor` until the server says there is no more (at most 200 pages):
    /// the raw replies, in order.
    func pullAll(from cursor: String? = nil) async throws -> [LiveServer.Reply] {
        var replies: [LiveServer.Reply] = []
        var cursor = cursor
        for _ in 0..<200 {
            let reply = try await pull(cursor)
            replies.append(reply)
            guard reply.status == 200 else { break }
            let page = try SyncWire.decode(PullResponse.self, from: reply.body)
            cursor = page.cursor
            if !page.hasMore { break }
        }
        return replies
    }

    func get(_ path: String) async throws -> LiveServer.Reply {
        try await server.send(.GET, path, token: token)
    }

    func update(
        _ id: UUID, kind: EntityKind = .customer, version: Int64, _ fields: FieldMap, base: FieldMap? = nil,
        hlc: HLCTimestamp? = nil
    ) throws -> Mutation {
        Mutation(
            clientMutationId: UUID(), entity: kind, recordId: id, op: .update, baseVersion: version, fields: fields,
            base: base, hlc: try hlc ?? self.hlc())
    }

    func delete(_ id: UUID, kind: EntityKind = .customer, version: Int64) throws -> Mutation {
        Mutation(clientMutationId: UUID(), entity: kind, recordId: id, op: .delete, baseVersion: version, fields: [:], hlc: try hlc())
    }

    func create(_ kind: EntityKind, _ id: UUID, _ fields: FieldMap) throws -> Mutation {
        Mutation(clientMutationId: UUID(), entity: kind, recordId: id, op: .create, baseVersion: 0, fields: fields, hlc: try hlc())
    }
}

/// A small organisation on a live server, made for attacks: team North (manager Mia, reps Ana
/// and Bob), team South (rep Carl), an auditor, a support agent and a second administrator.
/// Every customer carries values of each field class (phones, e-mails, notes, a credit limit).
struct AttackOrg: Sendable {
    let server: LiveServer
    let north: Team
    let south: Team
    let mia: Staff
    let ana: Staff
    let bob: Staff
    let carl: Staff
    let auditor: Staff
    let support: Staff
    let admin2: Staff

    /// Starts the organisation on a fresh server; `clock` is what sync and detection read (a
    /// `ManualWallClock` for tests about days and working hours).
    static func start(
        clock: any SyncWallClock = SystemWallClock(), configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> AttackOrg {
        let server = try await LiveServer.start(label: "rapport-attack", logLevel: .error, configure: configure, clock: clock)
        let north = Team(id: UUID(), name: "North")
        let south = Team(id: UUID(), name: "South")
        try await server.services.storage.saveTeam(north)
        try await server.services.storage.saveTeam(south)
        return AttackOrg(
            server: server, north: north, south: south,
            mia: try await server.addStaff(login: "mia", roles: [.manager], team: north),
            ana: try await server.addStaff(login: "ana", team: north),
            bob: try await server.addStaff(login: "bob", team: north),
            carl: try await server.addStaff(login: "carl", team: south),
            auditor: try await server.addStaff(login: "audrey", roles: [.auditor], team: north),
            support: try await server.addStaff(login: "sam", roles: [.supportAgent], team: north),
            admin2: try await server.addStaff(login: "second-admin", roles: [.admin], team: north))
    }

    var sync: SyncService { server.services.sync }

    /// Signs `login` in on a new device.
    func device(_ login: String) async throws -> Insider {
        Insider(server: server, login: try await server.login(login))
    }

    /// Secret-looking values unique to one customer, so a leak of any of them is found by a
    /// plain substring search of a response.
    struct Secrets: Sendable {
        let phone: String
        let email: String
        let notes: String
        let creditLimit: Int64
        var all: [String] { [phone, email, notes, String(creditLimit)] }
    }

    /// Creates a customer owned by `owner` (on the server's own authority) and returns its id
    /// and the values nobody without the right read level may see.
    @discardableResult
    func customer(owner: Staff, name: String = "王芳", number: Int = 0) async throws -> (id: UUID, secrets: Secrets) {
        let digits = String(format: "%08d", (owner.id.hashValue & 0xFFFFFF) + number)
        let secrets = Secrets(
            phone: "139\(digits)", email: "secret.\(digits)@leak.example", notes: "private-note-\(digits)",
            creditLimit: 91_735_531 + Int64(number))
        let customer = Customer(
            kind: .individual, name: name, sourceChannel: .referral, ownerId: owner.id, teamId: owner.teamId,
            creditLimit: secrets.creditLimit, notes: secrets.notes, createdAt: Date(),
            individual: IndividualProfile(phones: [secrets.phone], emails: [secrets.email]))
        let fields = try customer.fieldMap().filter { !$0.value.isNull }
        try await sync.serverWrite(RecordKey(.customer, customer.id), fields: fields)
        return (customer.id, secrets)
    }

    func stop() async throws { try await server.stop() }
}
