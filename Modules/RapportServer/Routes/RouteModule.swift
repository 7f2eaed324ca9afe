import Hummingbird

/// The router groups a ``RouteModule`` registers its endpoints in.
///
/// - ``public``: `/v1/...` without authentication (login, refresh).
/// - ``authenticated``: `/v1/...` behind the auth middleware; `context.identity` is set and
///   was checked against storage on this request (revoked → wipe instruction).
/// - ``admin``: `/v1/admin/...`, authenticated and restricted to administrators.
public struct RouteGroups {
    /// `/v1`, no authentication.
    public let `public`: RouterGroup<RapportRequestContext>
    /// `/v1`, bearer token required.
    public let authenticated: RouterGroup<RapportRequestContext>
    /// `/v1/admin`, administrator required.
    public let admin: RouterGroup<RapportRequestContext>
    /// The shared services.
    public let services: ServerServices
}

/// A set of endpoints. The server registers ``HealthRoutes``, ``InfoRoutes``, ``AuthRoutes`` and
/// ``BackupRoutes``; the sync endpoints and the admin API are further modules passed to
/// ``buildApplication(services:modules:onServerRunning:)``.
///
/// ```swift
/// struct SyncRoutes: RouteModule {
///     func register(in groups: RouteGroups) {
///         groups.authenticated.post("sync/push") { request, context in … }
///     }
/// }
/// ```
public protocol RouteModule: Sendable {
    /// Adds the module's routes.
    func register(in groups: RouteGroups)
}
