import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportAccess
import RapportCrypto
import RapportModels
import RapportServer
import RapportServerTesting
import RapportTesting

/// The real server the integration tests start (`RapportServerTesting`); this file adds the
/// HTTP client side the tests speak with.
typealias TestServer = LiveServer

extension LiveServer {
    /// A reply: status, headers and body.
    struct Reply {
        var status: Int
        var headers: HTTPHeaders
        var body: Data

        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request and collects the reply.
    func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, token: String? = nil,
        streamed: Bool = false
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            if streamed {
                let chunks = stride(from: 0, to: body.count, by: 1024).map {
                    ByteBuffer(bytes: body[$0..<min($0 + 1024, body.count)])
                }
                request.body = .stream(chunks.async, length: .unknown)
            } else {
                request.body = .bytes(ByteBuffer(bytes: body))
            }
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    /// A request with headers of the test's choosing.
    struct RawRequest {
        var method: HTTPMethod
        var path: String
        var body: Data?
        var headers = HTTPHeaders()
    }

    /// Sends a request built by the test (extra headers such as `X-Forwarded-For`).
    func send(_ raw: RawRequest) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + raw.path)
        request.method = raw.method
        request.headers = raw.headers
        if let body = raw.body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 16 << 20)
        return Reply(
            status: Int(response.status.code), headers: response.headers, body: Data(collected.readableBytesView))
    }

    /// Sends a JSON-encodable body.
    func post(_ path: String, _ value: some Encodable, token: String? = nil) async throws -> Reply {
        try await send(.POST, path, body: try JSONEncoder().encode(value), token: token)
    }

    /// Signs in and returns the decoded response.
    func login(_ login: String, password: String = "correct horse battery", device: UUID = UUID()) async throws
        -> LoginResponse
    {
        let reply = try await post(
            "/v1/auth/login",
            LoginRequest(
                loginName: login, password: password,
                device: DeviceInfo(id: device, name: "Test phone", platform: "ios")))
        guard reply.status == 200 else {
            throw ServerError(.invalidCredentials, "login failed with \(reply.status): \(reply.text)")
        }
        return try rapportDecoder.decode(LoginResponse.self, from: reply.body)
    }
}

/// Decodes with the project's JSON conventions.
var rapportDecoder: JSONDecoder { RapportJSON.decoder() }

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
