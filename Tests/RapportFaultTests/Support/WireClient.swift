import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportModels
import RapportProtocol

/// Plain HTTP to a Rapport server with the protocol's own types: what a device sends and gets,
/// nothing more, so the tests keep their own exact record of every mutation and answer.
struct WireClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: Data
        var errorCode: String? {
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            return (json?["error"] as? [String: Any])?["code"] as? String
        }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    var baseURL: String
    /// Sends `Connection: close`, so that every request is a connection of its own (the fault
    /// proxy acts on one request per connection).
    var closeConnections = false

    func send(_ method: HTTPMethod, _ path: String, body: Data? = nil, token: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if closeConnections { request.headers.add(name: "Connection", value: "close") }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), body: Data(collected.readableBytesView))
    }

    /// Signs in on a new device; returns the access token and the device id.
    func login(_ name: String, password: String, device: UUID = UUID()) async throws -> (
        token: String, device: UUID, staff: SignedInStaff
    ) {
        let body = try JSONEncoder().encode(
            LoginRequest(
                loginName: name, password: password,
                device: DeviceInfo(id: device, name: "fault device", platform: "ios")))
        let reply = try await send(.POST, "/v1/auth/login", body: body)
        guard reply.status == 200 else {
            throw WireFailure("login of \(name) failed with \(reply.status): \(reply.text)")
        }
        let response = try RapportJSON.decoder().decode(LoginResponse.self, from: reply.body)
        return (response.tokens.accessToken, response.deviceId, response.staff)
    }

    func push(_ mutations: [Mutation], token: String) async throws -> (Reply, PushResponse?) {
        let reply = try await send(
            .POST, "/v1/sync/push", body: try SyncWire.encode(PushRequest(mutations: mutations)), token: token)
        guard reply.status == 200 else { return (reply, nil) }
        return (reply, try SyncWire.decode(PushResponse.self, from: reply.body))
    }

    func pull(cursor: String?, limit: Int, token: String) async throws -> (Reply, PullResponse?) {
        let reply = try await send(
            .POST, "/v1/sync/pull", body: try SyncWire.encode(PullRequest(cursor: cursor, limit: limit)), token: token)
        guard reply.status == 200 else { return (reply, nil) }
        return (reply, try SyncWire.decode(PullResponse.self, from: reply.body))
    }
}

struct WireFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
