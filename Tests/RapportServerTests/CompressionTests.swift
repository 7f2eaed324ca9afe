import AsyncHTTPClient
import CompressNIO
import Foundation
import NIOCore
import NIOHTTP1
import RapportModels
import RapportProtocol
@testable import RapportServer
import RapportServerTesting
import Testing

/// gzip on a real server: pull pages (and other JSON answers of at least 1 KiB) are compressed
/// when the client sends `Accept-Encoding: gzip`, and sent plain otherwise.
@Suite("Response compression")
struct CompressionTests {
    typealias Fixture = SyncEndpointTests.Fixture

    /// A pull sent with a client of its own: `HTTPClient.shared` asks for gzip by itself and
    /// decompresses, which would hide what the server sent.
    static func pull(_ device: SyncEndpointTests.Device, acceptEncoding: String?) async throws -> (
        status: Int, headers: HTTPHeaders, body: Data
    ) {
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(decompression: .disabled))
        var request = HTTPClientRequest(url: device.server.baseURL + "/v1/sync/pull")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(device.token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        if let acceptEncoding { request.headers.add(name: "Accept-Encoding", value: acceptEncoding) }
        request.body = .bytes(ByteBuffer(bytes: try SyncWire.encode(PullRequest(cursor: nil, limit: 200))))
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            let body = try await response.body.collect(upTo: 16 << 20)
            try await client.shutdown()
            return (Int(response.status.code), response.headers, Data(body.readableBytesView))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    static func gunzip(_ body: Data) throws -> Data {
        var buffer = ByteBuffer(bytes: body)
        return Data(try buffer.decompress(with: .gzip()).readableBytesView)
    }

    @Test("a pull page asked with gzip comes compressed and decodes to the same page; without, it comes plain")
    func pullPage() async throws {
        let fixture = try await Fixture.start()
        let phone = try await fixture.device("ana")
        let tablet = try await fixture.device("ana")
        let customers = (0..<6).map { fixture.customer(owner: fixture.ana, name: "Customer \($0)") }
        _ = try await phone.pushed(try customers.map { try phone.create($0) })

        let plain = try await Self.pull(tablet, acceptEncoding: nil)
        #expect(plain.status == 200)
        #expect(plain.headers.first(name: "Content-Encoding") == nil)
        #expect(plain.headers.first(name: "Vary") == "Accept-Encoding")
        let plainPage = try SyncWire.decode(PullResponse.self, from: plain.body)
        #expect(plainPage.changes.count == customers.count)

        let zipped = try await Self.pull(tablet, acceptEncoding: "br;q=1.0, gzip;q=0.8, *;q=0.1")
        #expect(zipped.status == 200)
        #expect(zipped.headers.first(name: "Content-Encoding") == "gzip")
        #expect(zipped.headers.first(name: "Vary") == "Accept-Encoding")
        #expect(zipped.headers.first(name: "Content-Length") == String(zipped.body.count))
        #expect(zipped.body.count * 2 < plain.body.count, "gzip: \(zipped.body.count) of \(plain.body.count) bytes")
        let zippedPage = try SyncWire.decode(PullResponse.self, from: try Self.gunzip(zipped.body))
        #expect(zippedPage.changes == plainPage.changes && zippedPage.hasMore == plainPage.hasMore)

        let refused = try await Self.pull(tablet, acceptEncoding: "gzip;q=0, identity")
        #expect(refused.headers.first(name: "Content-Encoding") == nil)
        try await fixture.server.stop()
    }

    @Test("an answer under 1 KiB goes out plain even when gzip is asked for")
    func smallAnswerPlain() async throws {
        let fixture = try await Fixture.start()
        let tablet = try await fixture.device("ana")
        let reply = try await Self.pull(tablet, acceptEncoding: "gzip")
        #expect(reply.status == 200 && reply.body.count < CompressionMiddleware.minimumBytes)
        #expect(reply.headers.first(name: "Content-Encoding") == nil)
        #expect(try SyncWire.decode(PullResponse.self, from: reply.body).changes.isEmpty)
        try await fixture.server.stop()
    }

    @Test("Accept-Encoding is read as RFC 9110 says: gzip, x-gzip or *, never at q=0", arguments: [
        ("gzip", true), ("deflate, gzip", true), ("GZIP;q=0.5", true), ("x-gzip", true), ("*", true),
        ("gzip;q=0", false), ("gzip; q=0.000", false), ("*;q=0", false), ("identity", false), ("br", false),
        ("*, gzip;q=0", false), ("", false),
    ])
    func acceptEncoding(_ header: String, _ accepted: Bool) {
        #expect(CompressionMiddleware.acceptsGzip([header]) == accepted)
    }
}
