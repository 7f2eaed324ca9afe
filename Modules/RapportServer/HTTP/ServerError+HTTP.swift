import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1
import RapportModels
import RapportProtocol

extension ServerError: HTTPResponseError {
    /// The HTTP status for the error's code.
    public var status: HTTPResponse.Status {
        switch code {
        case .malformedRequest: .badRequest
        case .bodyTooLarge: .contentTooLarge
        case .headersTooLarge: .requestHeaderFieldsTooLarge
        case .requestTimeout: .requestTimeout
        case .notFound: .notFound
        case .methodNotAllowed: .methodNotAllowed
        case .unauthorized, .invalidCredentials, .tokenReused: .unauthorized
        case .rateLimited: .tooManyRequests
        case .accountLocked, .forbidden: .forbidden
        case .wipeRequired: .forbidden  // Docs/Protocol.md, "Errors"
        case .conflict, .serverRunning: .conflict
        case .unavailable, .storage, .storageFull, .storageIOError, .connectionLimit: .serviceUnavailable
        default: .internalServerError
        }
    }

    /// The wire body: `{"protocolVersion": 1, "error": {"code", "message", "retryAfterSeconds"?}, "wipe"?}`.
    public var body: SyncErrorBody {
        SyncErrorBody(
            error: .init(code: code.wireName, message: message, retryAfterSeconds: retryAfterSeconds), wipe: wipe)
    }

    /// The JSON response, with `Retry-After` for rate limiting and a full or failing disk,
    /// `WWW-Authenticate` for 401s and `Allow` for 405s.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
        if let allowedMethods { headers[.allow] = allowedMethods.joined(separator: ", ") }
        let data = (try? RapportJSON.encoder().encode(body)) ?? Data("{}".utf8)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Converts any error thrown while handling a request into a ``ServerError`` whose message
    /// is safe to send (never a request value, never an internal description).
    static func from(_ error: any Error) -> ServerError {
        switch error {
        case let error as ServerError:
            return error
        case let error as DecodingError:
            return ServerError(.malformedRequest, error.safeMessage)
        case let error as HTTPParserError:
            return ServerError(
                .malformedRequest, "the request is not valid HTTP/1.1 (\(error)); check its framing and headers")
        case is NIOTooManyBytesError:
            return ServerError(
                .bodyTooLarge, "the request body is larger than the server's limit; send less per request")
        case let error as any HTTPResponseError:
            switch error.status {
            case .notFound:
                return ServerError(
                    .notFound, "no such endpoint; see Docs/openapi.yaml for the routes this server serves")
            case .methodNotAllowed:
                return ServerError(
                    .methodNotAllowed, "this endpoint does not accept that method; see Docs/openapi.yaml")
            case .contentTooLarge:
                return ServerError(
                    .bodyTooLarge, "the request body is larger than the server's limit; send less per request")
            case let status where (400..<500).contains(status.code):
                return ServerError(
                    .malformedRequest,
                    "the request was refused (HTTP \(status.code)); check it against Docs/openapi.yaml")
            default:
                return ServerError(
                    .internalError, "the server failed unexpectedly; retry later and report it if it persists",
                    cause: error)
            }
        default:
            return ServerError(
                .internalError, "the server failed unexpectedly; retry later and report it if it persists", cause: error
            )
        }
    }
}

extension DecodingError {
    /// Names the field and the problem, never the value.
    var safeMessage: String {
        func path(_ context: Context, appending key: (any CodingKey)? = nil) -> String {
            let keys = context.codingPath + (key.map { [$0] } ?? [])
            let text = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
                .reduce(into: "") { out, part in out += part.hasPrefix("[") || out.isEmpty ? part : "." + part }
            return text.isEmpty ? "the body" : "field '\(text)'"
        }
        switch self {
        case .typeMismatch(let type, let context):
            return "\(path(context)) has the wrong type; send \(Self.describe(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)) is null; send \(Self.describe(type))"
        case .keyNotFound(let key, let context):
            return "\(path(context, appending: key)) is missing; add it to the request body"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return "the request body is not valid JSON; send one JSON object encoded as UTF-8"
            }
            return "\(path(context)) has an invalid value; check its format in Docs/openapi.yaml"
        @unknown default:
            return "the request body does not match the endpoint; check it against Docs/openapi.yaml"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is UUID.Type: "a UUID string"
        default: "a value of the documented type"
        }
    }
}
