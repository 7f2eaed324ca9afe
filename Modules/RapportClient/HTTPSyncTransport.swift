import Foundation
import NIOHTTP1
import RapportModels
import RapportProtocol
import RapportSyncClient

/// The protocol's HTTP binding for `SyncEngine` (RapportSyncClient): `POST /v1/sync/push` and `/v1/sync/pull`
/// with the device's bearer token (refreshed by the ``SessionManager``). Error bodies become
/// `SyncError`s so the engine knows what to retry, reset or wipe.
public struct HTTPSyncTransport: SyncTransport {
    /// The session that supplies tokens.
    public let session: SessionManager

    /// A transport over `session`.
    public init(session: SessionManager) {
        self.session = session
    }

    /// `POST /v1/sync/push`.
    public func push(_ request: PushRequest) async throws -> PushResponse {
        try await exchange("/v1/sync/push", request, as: PushResponse.self)
    }

    /// `POST /v1/sync/pull`.
    public func pull(_ request: PullRequest) async throws -> PullResponse {
        try await exchange("/v1/sync/pull", request, as: PullResponse.self)
    }

    func exchange<T: Decodable>(_ path: String, _ message: some Encodable, as type: T.Type) async throws -> T {
        let body = try SyncWire.encode(message)
        let reply: ClientHTTP.Reply
        do {
            reply = try await session.send(.POST, path, body: body)
        } catch {
            throw Self.syncError(error)
        }
        guard reply.isSuccess else { throw Self.syncError(reply) }
        do {
            return try RapportJSON.decoder().decode(T.self, from: reply.body)
        } catch {
            throw SyncError(
                .internalError, "the server's answer to \(path) is not a valid \(T.self); check that client and server speak the same protocol version",
                cause: error)
        }
    }

    /// The `SyncError` for a failed session step (refresh, network).
    static func syncError(_ error: ClientError) -> SyncError {
        switch error.code {
        case .unreachable: SyncError(.transport, error.message)
        case .wiped: SyncError(.wipeRequired, error.message, wipe: WipeInstruction(reason: .deviceRevoked, message: error.message))
        case .sessionExpired: SyncError(.unauthorized, error.message)
        case .forbidden: SyncError(.forbidden, error.message)
        case .rateLimited: SyncError(.rateLimited, error.message, retryAfterSeconds: error.retryAfterSeconds)
        default: SyncError(.internalError, error.message)
        }
    }

    /// The `SyncError` for an error answer: the body's code when it is a protocol code,
    /// otherwise one chosen by HTTP status.
    static func syncError(_ reply: ClientHTTP.Reply) -> SyncError {
        guard let body = reply.errorBody else {
            let code: SyncError.Code = reply.status >= 500 ? .unavailable : reply.status == 401 ? .unauthorized : .malformedRequest
            return SyncError(code, "the server answered HTTP \(reply.status) without an error body", retryAfterSeconds: reply.retryAfterSeconds)
        }
        var error = body.syncError
        if SyncError.Code(wireName: body.error.code) == nil, body.wipe == nil {
            let code: SyncError.Code =
                switch reply.status {
                case 401: .unauthorized
                case 403: .forbidden
                case 429: .rateLimited
                case 500...: .internalError
                default: .malformedRequest
                }
            error = SyncError(code, body.error.message, retryAfterSeconds: body.error.retryAfterSeconds)
        }
        if error.retryAfterSeconds == nil { error.retryAfterSeconds = reply.retryAfterSeconds }
        return error
    }
}
