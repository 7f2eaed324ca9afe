import Foundation
import RapportProtocol
import RapportSyncClient
import RapportSyncServer

/// A ``SyncTransport`` that calls a ``SyncServer`` in the same process, as one device. Every
/// request and response goes through the JSON wire format (and errors through
/// ``SyncErrorBody``), so it exercises the same encoding as the HTTP transport. For tests,
/// simulations and the demo.
public struct InProcessTransport: SyncTransport {
    /// The server.
    public let server: SyncServer
    /// The device it speaks for.
    public let principal: SyncPrincipal
    /// The limits to check bodies against.
    public let limits: SyncLimits

    /// A transport for `principal`.
    public init(server: SyncServer, principal: SyncPrincipal, limits: SyncLimits = SyncLimits()) {
        self.server = server
        self.principal = principal
        self.limits = limits
    }

    /// Encodes, calls ``SyncServer/push(_:from:)``, decodes.
    public func push(_ request: PushRequest) async throws -> PushResponse {
        let body = try SyncWire.encode(request)
        let response = try await Self.answer {
            try await server.push(try SyncWire.decodePush(body, limits: limits), from: principal)
        }
        return try SyncWire.decode(PushResponse.self, from: SyncWire.encode(response))
    }

    /// Encodes, calls ``SyncServer/pull(_:from:)``, decodes.
    public func pull(_ request: PullRequest) async throws -> PullResponse {
        let body = try SyncWire.encode(request)
        let response = try await Self.answer {
            try await server.pull(try SyncWire.decodePull(body, limits: limits), from: principal)
        }
        return try SyncWire.decode(PullResponse.self, from: SyncWire.encode(response))
    }

    private static func answer<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SyncError {
            let data = try SyncWire.encode(SyncErrorBody(error))
            throw try SyncWire.decode(SyncErrorBody.self, from: data).syncError
        }
    }
}
