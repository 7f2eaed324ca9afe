import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOHTTPCompression
import NIOSSL
import RapportModels
import RapportProtocol
import Synchronization

/// The HTTP connection to one server, on AsyncHTTPClient (works unchanged on Linux, macOS and
/// iOS; see `Docs/ClientGuide.md`, "Why AsyncHTTPClient"). Sends JSON, returns status and body,
/// and opens the live channel as a stream of lines. Call ``shutdown()`` once when done.
public final class ClientHTTP: Sendable {
    /// A raw answer.
    public struct Reply: Sendable {
        /// HTTP status.
        public var status: Int
        /// Body bytes.
        public var body: Data
        /// `Retry-After` in seconds, if sent.
        public var retryAfterSeconds: Int?
        /// The server's clock from the `Date` header, if sent.
        public var serverDate: Date?

        /// Whether the status is 2xx.
        public var isSuccess: Bool { (200..<300).contains(status) }

        /// The error body, if the body is one (`Docs/Protocol.md`, "Errors").
        public var errorBody: SyncErrorBody? {
            try? RapportJSON.decoder().decode(SyncErrorBody.self, from: body)
        }
    }

    /// The largest response body read (after decompression).
    static let maxBodyBytes = 64 << 20

    /// The server.
    public let server: ServerEndpoint
    let client: HTTPClient
    private let isShutDown = Mutex(false)

    /// Opens a connection pool for `server` (nothing is sent yet).
    ///
    /// - Parameters:
    ///   - server: the server to talk to.
    ///   - caFile: PEM certificates to trust besides the system's (a private CA).
    ///   - requestTimeoutSeconds: the longest a request may take.
    /// - Throws: ``ClientError/Code/invalidArgument`` if `caFile` cannot be read.
    public init(server: ServerEndpoint, caFile: String? = nil, requestTimeoutSeconds: Int64 = 60) throws(ClientError) {
        self.server = server
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile {
            do {
                tls.additionalTrustRoots = [.certificates(try NIOSSLCertificate.fromPEMFile(caFile))]
            } catch {
                throw ClientError(.invalidArgument, "cannot read the CA file \(caFile); give a PEM file of certificates")
            }
        }
        var pool = HTTPClient.Configuration.ConnectionPool()
        pool.retryConnectionEstablishment = false
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10), read: .seconds(requestTimeoutSeconds)), connectionPool: pool)
        configuration.httpVersion = .http1Only
        // Pull pages come gzip-compressed when asked (`Accept-Encoding` in `send`); the limit is
        // the same 64 MiB a collected body may have.
        configuration.decompression = .enabled(limit: .size(Self.maxBodyBytes))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    deinit {
        // A client dropped without `shutdown()` (an error path of the caller) is shut down in
        // the background; the pending shutdown keeps the HTTPClient alive until it is done.
        if !isShutDown.withLock({ $0 }) { client.shutdown { _ in } }
    }

    /// Closes every connection. Later requests fail.
    public func shutdown() async {
        guard !isShutDown.withLock({ flag in defer { flag = true }; return flag }) else { return }
        try? await client.shutdown()
    }

    /// Sends a request with an optional JSON body and bearer token.
    ///
    /// - Throws: ``ClientError/Code/unreachable`` when no answer arrives (the server is down,
    ///   TLS fails, the request times out).
    public func send(
        _ method: HTTPMethod, _ path: String, body: Data? = nil, token: String? = nil, timeoutSeconds: Int64 = 60
    ) async throws(ClientError) -> Reply {
        var request = HTTPClientRequest(url: server.url(path))
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "Accept-Encoding", value: "gzip")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(timeoutSeconds))
            let collected = try await response.body.collect(upTo: Self.maxBodyBytes)
            return Reply(
                status: Int(response.status.code), body: Data(collected.readableBytesView),
                retryAfterSeconds: response.headers.first(name: "Retry-After").flatMap { Int($0) },
                serverDate: response.headers.first(name: "Date").flatMap(Self.httpDate))
        } catch {
            throw ClientError(
                .unreachable, "cannot reach \(server) (\(Self.describe(error))); check the address and the network, then try again")
        }
    }

    /// Opens a long-lived `GET` and returns its status and a stream of text lines (for the
    /// server-sent events of the live channel). Cancelling the consuming task closes it.
    ///
    /// - Throws: ``ClientError/Code/unreachable`` when the request cannot be sent.
    public func lines(_ path: String, token: String?) async throws(ClientError) -> (Reply, AsyncThrowingStream<String, any Error>) {
        var request = HTTPClientRequest(url: server.url(path))
        request.method = .GET
        request.headers.add(name: "Accept", value: "text/event-stream")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .hours(24))
        } catch {
            throw ClientError(.unreachable, "cannot reach \(server) (\(Self.describe(error))); the live channel will reconnect")
        }
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            return (Reply(status: status, body: body), AsyncThrowingStream { $0.finish() })
        }
        let stream = AsyncThrowingStream<String, any Error> { continuation in
            let task = Task {
                var pending = [UInt8]()
                do {
                    for try await chunk in response.body {
                        pending.append(contentsOf: chunk.readableBytesView)
                        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                            var line = Array(pending[..<newline])
                            pending.removeSubrange(...newline)
                            if line.last == UInt8(ascii: "\r") { line.removeLast() }
                            continuation.yield(String(decoding: line, as: UTF8.self))
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
        return (Reply(status: status, body: Data()), stream)
    }

    /// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`).
    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return String(describing: error)
    }
}
