import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Compresses JSON responses with gzip for clients that send `Accept-Encoding: gzip`
/// (`Docs/Protocol.md`, "Transport"): pull pages above all, and any other JSON answer of at
/// least ``minimumBytes``. Smaller answers, streamed ones (the live channel) and other content
/// types go out as they are. Every JSON answer carries `Vary: Accept-Encoding`.
///
/// zlib level 1 (fastest): on W1-shaped pull pages it saves 97 % of what level 6 saves for a
/// quarter of the CPU (`Docs/Performance.md`, "Profile (issue 16)"). If compression fails the
/// response goes out uncompressed.
struct CompressionMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    /// Bodies shorter than this are sent as they are: below about one packet, gzip saves nothing
    /// worth its CPU.
    static let minimumBytes = 1_024

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard let contentType = response.headers[.contentType], contentType.hasPrefix("application/json"),
            response.headers[.contentEncoding] == nil, let length = response.body.contentLength
        else { return response }
        response.headers.append(HTTPField(name: .vary, value: "Accept-Encoding"))
        guard length >= Self.minimumBytes, Self.acceptsGzip(request.headers[values: .acceptEncoding]) else {
            return response
        }
        let collector = BodyCollector(capacity: length)
        try await response.body.write(collector)
        do {
            var plain = collector.buffer
            let compressed = try plain.compress(with: .gzip(configuration: .init(compressionLevel: 1)))
            response.body = ResponseBody(byteBuffer: compressed)
            response.headers[.contentEncoding] = "gzip"
        } catch {
            response.body = ResponseBody(byteBuffer: collector.buffer)
        }
        return response
    }

    /// Whether an `Accept-Encoding` header accepts gzip: `gzip`, `x-gzip` or `*` (when gzip is
    /// not named), with a quality above zero (`gzip;q=0` refuses it).
    static func acceptsGzip(_ values: [String]) -> Bool {
        var gzip: Double?
        var wildcard: Double?
        for item in values.joined(separator: ",").split(separator: ",") {
            let parts = item.split(separator: ";")
            let coding = parts.first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            var quality = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q" { quality = Double(pair[1]) ?? 0 }
            }
            switch coding {
            case "gzip", "x-gzip": gzip = max(gzip ?? 0, quality)
            case "*": wildcard = quality
            default: continue
            }
        }
        return (gzip ?? wildcard ?? 0) > 0
    }
}

/// Collects a response body that is already in memory (its length is known).
private final class BodyCollector: ResponseBodyWriter {
    var buffer: ByteBuffer

    init(capacity: Int) { buffer = ByteBufferAllocator().buffer(capacity: capacity) }

    func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        self.buffer.writeBuffer(&buffer)
    }

    func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
