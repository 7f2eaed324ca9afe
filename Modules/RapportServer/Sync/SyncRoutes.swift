import CoreMetrics
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer
import ServiceLifecycle

/// The sync endpoints (`Docs/Protocol.md`, `Docs/openapi.yaml`):
///
/// - `POST /v1/sync/push` — a ``PushRequest``; answers a ``PushResponse``.
/// - `POST /v1/sync/pull` — a ``PullRequest``; answers a ``PullResponse``.
/// - `GET /v1/sync/events` — the live channel: server-sent events, a `changes` event whenever
///   the change log advances (not for the device's own writes), a `: heartbeat` comment every
///   15 s, a `wipe` event (then the end) if the device or its owner is revoked; closes at
///   graceful shutdown.
///
/// Bodies are checked by `SyncWire` in the protocol's order (size, version, shape, limits),
/// with the configured limits. Protocol errors answer the protocol's error body
/// `{"protocolVersion": 1, "error": {...}, "wipe"?}` with the status `Docs/Protocol.md` suggests.
public struct SyncRoutes: RouteModule {
    /// Creates the module.
    public init() {}

    /// Registers the three endpoints on the authenticated group.
    public func register(in groups: RouteGroups) {
        let services = groups.services
        let limits = services.configuration.limits
        groups.authenticated.post("sync/push") { request, context in
            let identity = try context.requireIdentity()
            let sync = services.sync
            return try await Self.answer(services: services) {
                let push = try SyncWire.decodePush(try await Self.body(of: request, limit: limits.maxBodyBytes), limits: limits)
                let principal = SyncPrincipal(staffId: identity.staff.id, deviceId: identity.device.id)
                return try await sync.push(push, principal: principal)
            }
        }
        groups.authenticated.post("sync/pull") { request, context in
            let identity = try context.requireIdentity()
            let sync = services.sync
            return try await Self.answer(services: services) {
                let pull = try SyncWire.decodePull(try await Self.body(of: request, limit: limits.maxBodyBytes), limits: limits)
                let principal = SyncPrincipal(staffId: identity.staff.id, deviceId: identity.device.id)
                return try await sync.pull(pull, principal: principal)
            }
        }
        groups.authenticated.get("sync/events") { _, context in
            let identity = try context.requireIdentity()
            let sync = services.sync
            return Self.events(sync: sync, principal: SyncPrincipal(staffId: identity.staff.id, deviceId: identity.device.id))
        }
    }

    /// The body, at most `limit` bytes (`bodyTooLarge` above, also for chunked bodies).
    static func body(of request: Request, limit: Int) async throws -> Data {
        do {
            return Data(try await request.body.collect(upTo: limit).readableBytesView)
        } catch is NIOTooManyBytesError {
            throw SyncError(
                .bodyTooLarge,
                "the request body is larger than the limit of \(limit) bytes; push fewer mutations per request")
        }
    }

    /// Runs `body` and encodes its message, or the protocol error body for a `SyncError`.
    static func answer(
        services: ServerServices, _ body: () async throws -> some Encodable
    ) async throws -> Response {
        do {
            let message = try await body()
            return Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(bytes: try SyncWire.encode(message))))
        } catch let error as SyncError {
            if error.code == .wipeRequired { services.metrics.wipeInstructions.increment() }
            return errorResponse(error)
        }
    }

    /// The protocol's error body with the suggested HTTP status (`Docs/Protocol.md`, "Errors").
    static func errorResponse(_ error: SyncError) -> Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
        if let retry = error.retryAfterSeconds { headers[.retryAfter] = String(retry) }
        let data = (try? SyncWire.encode(SyncErrorBody(error))) ?? Data("{}".utf8)
        return Response(status: status(of: error.code), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The suggested status of each protocol error code.
    static func status(of code: SyncError.Code) -> HTTPResponse.Status {
        switch code {
        case .unsupportedProtocolVersion: .upgradeRequired
        case .malformedRequest, .pageTooLarge, .invalidCursor: .badRequest
        case .bodyTooLarge, .batchTooLarge: .contentTooLarge
        case .resetRequired: .conflict
        case .wipeRequired: .forbidden
        case .unauthorized: .unauthorized
        case .rateLimited: .tooManyRequests
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    // MARK: - Live channel

    /// The server-sent-event stream of one device.
    static func events(sync: SyncService, principal: SyncPrincipal) -> Response {
        let headers: HTTPFields = [
            .contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store",
            HTTPField.Name("X-Accel-Buffering")!: "no",
        ]
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                let subscription = sync.feed.subscribe(device: principal.deviceId)
                let interval = sync.heartbeatInterval
                let continuation = subscription.continuation
                let heartbeat = Task {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        continuation.yield(.heartbeat)
                    }
                }
                defer {
                    heartbeat.cancel()
                    sync.feed.unsubscribe(subscription.id)
                }
                try await writer.write(ByteBuffer(string: "retry: 5000\n: connected\n\n"))
                try await withGracefulShutdownHandler {
                    for await event in subscription.events {
                        if case .wipe(let instruction) = try await sync.scope.standing(of: principal) {
                            let data = String(decoding: try SyncWire.encode(instruction), as: UTF8.self)
                            try await writer.write(ByteBuffer(string: "event: wipe\ndata: \(data)\n\n"))
                            break
                        }
                        switch event {
                        case .changes:
                            try await writer.write(ByteBuffer(string: "event: changes\ndata: {}\n\n"))
                        case .heartbeat:
                            try await writer.write(ByteBuffer(string: ": heartbeat\n\n"))
                        }
                    }
                } onGracefulShutdown: {
                    continuation.finish()
                }
                try await writer.finish(nil)
            })
    }
}
