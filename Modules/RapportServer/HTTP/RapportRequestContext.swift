import Hummingbird
import HummingbirdAuth
import Logging
import NIOCore

/// The per-request context of the Rapport server: Hummingbird's core context (logger with
/// the request id, route parameters), the connection's peer address, plus who is calling, once
/// the auth middleware has run.
public struct RapportRequestContext: RequestContext, RemoteAddressRequestContext, AuthRequestContext {
    /// Hummingbird's core context.
    public var coreContext: CoreRequestContextStorage
    /// The caller, set by the bearer authenticator (hummingbird-auth's `AuthRequestContext`) on
    /// authenticated routes; `nil` elsewhere.
    public var identity: AuthenticatedIdentity?
    /// The connection's peer (a proxy's address when behind one; see ``ClientAddress``).
    public var remoteAddress: SocketAddress?

    /// Creates the context for a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        identity = nil
        remoteAddress = source.channel.remoteAddress
    }

    /// The caller on an authenticated route.
    ///
    /// - Throws: ``ServerError/Code/unauthorized`` if the route is not behind the auth middleware.
    public func requireIdentity() throws(ServerError) -> AuthenticatedIdentity {
        guard let identity else {
            throw ServerError(.unauthorized, "this endpoint needs a bearer token; sign in with POST /v1/auth/login")
        }
        return identity
    }
}
