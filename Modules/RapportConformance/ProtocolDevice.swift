import Foundation
import NIOHTTP1
import RapportClient
import RapportModels
import RapportProtocol

/// A device speaking the protocol byte for byte, without the client engine: it signs in, sends
/// push and pull messages it builds itself, and keeps the raw answer bodies so scenarios can
/// check exactly what the server sent (masking, pagination, replay).
actor ProtocolDevice {
    let http: ClientHTTP
    let deviceId: UUID
    let staffId: UUID
    private(set) var accessToken: String
    private var clock: HybridLogicalClock
    /// Every answer body received, for byte searches.
    private(set) var bodies: [Data] = []

    init(http: ClientHTTP, deviceId: UUID, staffId: UUID, accessToken: String) {
        self.http = http
        self.deviceId = deviceId
        clock = HybridLogicalClock(node: deviceId.uuidString.lowercased())
        self.staffId = staffId
        self.accessToken = accessToken
    }

    /// Signs in as a new device.
    static func signIn(server: ServerEndpoint, caFile: String?, login: String, password: String) async throws -> ProtocolDevice {
        let http = try ClientHTTP(server: server, caFile: caFile)
        let request = SignInRequest(
            loginName: login, password: password, device: DeviceDescription(name: "conformance protocol device", platform: "conformance"))
        let reply = try await http.send(.POST, "/v1/auth/login", body: try SyncWire.encode(request))
        guard reply.isSuccess else {
            await http.shutdown()
            throw ConformanceFailure("signing in \(login) answered HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        let response = try RapportJSON.decoder().decode(SignInResponse.self, from: reply.body)
        return ProtocolDevice(http: http, deviceId: response.deviceId, staffId: response.staff.id, accessToken: response.tokens.accessToken)
    }

    func close() async { await http.shutdown() }

    /// A fresh HLC for this device.
    func hlc() -> HLCTimestamp {
        clock.tick(wallMillis: SystemWallClock().nowMillis())
    }

    /// Sends a raw message; returns the HTTP reply.
    func post(_ path: String, _ message: some Encodable & Sendable) async throws -> ClientHTTP.Reply {
        let reply = try await http.send(.POST, path, body: try SyncWire.encode(message), token: accessToken)
        bodies.append(reply.body)
        return reply
    }

    /// Pushes `mutations`; fails the scenario unless the server answers 200.
    func push(_ mutations: [Mutation]) async throws -> PushResponse {
        let reply = try await post("/v1/sync/push", PushRequest(mutations: mutations))
        try check(reply.isSuccess, "a push answered HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        return try RapportJSON.decoder().decode(PushResponse.self, from: reply.body)
    }

    /// Pulls one page; returns the reply (the caller checks the status).
    func pullReply(cursor: String?, limit: Int? = nil) async throws -> ClientHTTP.Reply {
        try await post("/v1/sync/pull", PullRequest(cursor: cursor, limit: limit))
    }

    /// Pulls one page; fails the scenario unless the server answers 200.
    func pull(cursor: String?, limit: Int? = nil) async throws -> PullResponse {
        let reply = try await pullReply(cursor: cursor, limit: limit)
        try check(reply.isSuccess, "a pull answered HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        return try RapportJSON.decoder().decode(PullResponse.self, from: reply.body)
    }

    /// Pulls pages until `hasMore` is false; returns every page and the last cursor.
    func pullAll(from cursor: String?, limit: Int? = nil, maxPages: Int = 1000) async throws -> (pages: [PullResponse], cursor: String?) {
        var cursor = cursor
        var pages: [PullResponse] = []
        while pages.count < maxPages {
            let page = try await pull(cursor: cursor, limit: limit)
            pages.append(page)
            cursor = page.cursor
            if !page.hasMore { return (pages, cursor) }
        }
        throw ConformanceFailure("the server kept answering hasMore=true for \(maxPages) pages")
    }

    /// A create mutation for `customer`.
    func create(_ customer: Customer) throws -> Mutation {
        let fields = try customer.fieldMap().filter { !$0.value.isNull }
        return Mutation(
            clientMutationId: UUID(), entity: .customer, recordId: customer.id, op: .create, baseVersion: 0, fields: fields, hlc: hlc())
    }

    /// An update mutation.
    func update(_ id: UUID, version: Int64, _ fields: FieldMap, base: FieldMap? = nil) throws -> Mutation {
        Mutation(clientMutationId: UUID(), entity: .customer, recordId: id, op: .update, baseVersion: version, fields: fields, base: base, hlc: hlc())
    }

    /// Whether any answer body holds `text`.
    func received(_ text: String) -> Bool {
        let needle = Data(text.utf8)
        return bodies.contains { $0.range(of: needle) != nil }
    }
}
