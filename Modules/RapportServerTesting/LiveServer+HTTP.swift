import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportServer

/// The HTTP client side that integration and attack tests speak to a ``LiveServer`` with.
extension LiveServer {
    /// A reply: status, headers and body.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: Data

        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        }
        public var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        public var errorMessage: String { (json["error"] as? [String: Any])?["message"] as? String ?? "" }
        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Sends a request and collects the reply.
    public func send(
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
    public struct RawRequest: Sendable {
        public var method: HTTPMethod
        public var path: String
        public var body: Data?
        public var headers = HTTPHeaders()

        /// Creates a request.
        public init(method: HTTPMethod, path: String, body: Data? = nil, headers: HTTPHeaders = HTTPHeaders()) {
            self.method = method
            self.path = path
            self.body = body
            self.headers = headers
        }
    }

    /// Sends a request built by the test (extra headers such as `X-Forwarded-For`).
    public func send(_ raw: RawRequest) async throws -> Reply {
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
    public func post(_ path: String, _ value: some Encodable, token: String? = nil) async throws -> Reply {
        try await send(.POST, path, body: try JSONEncoder().encode(value), token: token)
    }

    /// Signs in and returns the decoded response.
    public func login(_ login: String, password: String = "correct horse battery", device: UUID = UUID()) async throws
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
public var rapportDecoder: JSONDecoder { RapportJSON.decoder() }

extension Array where Element: Sendable {
    /// The elements as an async sequence.
    public var async: AsyncStream<Element> {
        AsyncStream { continuation in
            for element in self { continuation.yield(element) }
            continuation.finish()
        }
    }
}
