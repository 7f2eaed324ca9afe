import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RapportModels

extension Request {
    /// Reads the body (at most `limit` bytes) and decodes it as JSON with the project's
    /// conventions (`RapportJSON`).
    ///
    /// - Throws: ``ServerError/Code/bodyTooLarge`` above `limit`; ``ServerError/Code/malformedRequest``
    ///   for invalid UTF-8, invalid JSON, a missing field or a wrong type (the message names the
    ///   field, never its value).
    public func decodeJSON<T: Decodable>(_ type: T.Type, limit: Int) async throws -> T {
        try Self.decodeJSON(type, from: try await jsonBody(limit: limit))
    }

    /// The body's bytes (at most `limit`), checked to be non-empty UTF-8.
    ///
    /// - Throws: ``ServerError/Code/bodyTooLarge`` above `limit`; ``ServerError/Code/malformedRequest``
    ///   for an empty body or invalid UTF-8.
    public func jsonBody(limit: Int) async throws -> Data {
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServerError(
                .bodyTooLarge, "the request body is larger than the limit of \(limit) bytes; send less per request")
        }
        let bytes = buffer.readableBytesView
        if bytes.isEmpty {
            throw ServerError(.malformedRequest, "the request body is empty; send a JSON object")
        }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ServerError(.malformedRequest, "the request body is not valid UTF-8; send JSON encoded as UTF-8")
        }
        return Data(bytes)
    }

    /// Decodes `data` (a body from ``jsonBody(limit:)``) with `RapportJSON`.
    ///
    /// - Throws: ``ServerError/Code/malformedRequest`` for invalid JSON, a missing field or a wrong
    ///   type (the message names the field, never its value).
    public static func decodeJSON<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try RapportJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ServerError(.malformedRequest, error.safeMessage)
        }
    }
}

extension Response {
    /// A JSON response encoded with `RapportJSON`.
    public static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try RapportJSON.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
