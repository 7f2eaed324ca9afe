import Foundation
import RapportModels

/// Encoding and decoding of sync messages with the protocol's checks, for the HTTP layer and
/// for clients: body size, JSON shape, protocol version, batch and page limits — in that order,
/// each with its own ``SyncError``.
///
/// ```swift
/// let request = try SyncWire.decodePush(body, limits: limits)   // server
/// let data = try SyncWire.encode(response)
/// ```
public enum SyncWire {
    /// Encodes any sync message with Rapport's JSON conventions (sorted keys).
    public static func encode(_ message: some Encodable) throws -> Data {
        try RapportJSON.encoder().encode(message)
    }

    /// Decodes a message, mapping JSON problems to ``SyncError/Code/malformedRequest``.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        do {
            return try RapportJSON.decoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw SyncError(.malformedRequest, "the body is not a valid \(T.self): \(describe(error)); see Docs/Protocol.md", cause: error)
        } catch {
            throw SyncError(.malformedRequest, "the body is not a valid \(T.self): \(error)", cause: error)
        }
    }

    /// Decodes and checks a push body.
    public static func decodePush(_ data: Data, limits: SyncLimits) throws -> PushRequest {
        try limits.checkBody(byteCount: data.count)
        try checkVersion(of: data)
        let request = try decode(PushRequest.self, from: data)
        try limits.check(request)
        return request
    }

    /// Decodes and checks a pull body.
    public static func decodePull(_ data: Data, limits: SyncLimits) throws -> PullRequest {
        try limits.checkBody(byteCount: data.count)
        try checkVersion(of: data)
        let request = try decode(PullRequest.self, from: data)
        _ = try limits.pageSize(for: request)
        return request
    }

    /// Reads `protocolVersion` before anything else, so an old or new client gets
    /// ``SyncError/Code/unsupportedProtocolVersion`` rather than a shape error.
    static func checkVersion(of data: Data) throws {
        struct Envelope: Decodable { var protocolVersion: Int? }
        let envelope = try? JSONDecoder().decode(Envelope.self, from: data)
        guard let version = envelope?.protocolVersion else {
            throw SyncError(.malformedRequest, "the body has no 'protocolVersion'; send {\"protocolVersion\": \(SyncProtocol.currentVersion), ...}")
        }
        try SyncProtocol.check(version)
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return text.isEmpty ? "the document" : "'\(text)'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context)) lacks '\(key.stringValue)'"
        case .valueNotFound(_, let context): return "\(path(context)) must not be null"
        case .typeMismatch(_, let context): return "\(path(context)) has the wrong type"
        case .dataCorrupted(let context):
            // Foundation's own messages quote the value ("Cannot initialize X from invalid String
            // value …"); a refusal never echoes what the client sent.
            if context.debugDescription.hasPrefix("Cannot initialize") {
                return "\(path(context)) is not one of the allowed values"
            }
            return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
