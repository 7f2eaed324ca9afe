import HTTPTypes
import Hummingbird
import RapportProtocol

/// `POST /v1/auth/login`, `/v1/auth/refresh` (public), `/v1/auth/logout` and
/// `/v1/auth/lease` (authenticated).
struct AuthRoutes: RouteModule {
    /// `X-Forwarded-For`, believed only from ``ServerConfiguration/trustedProxies``.
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    func register(in groups: RouteGroups) {
        let services = groups.services
        let limit = services.configuration.limits.maxBodyBytes
        let trustedProxies = services.configuration.trustedProxies
        groups.public.post("auth/login") { request, context in
            let login = try await request.decodeJSON(LoginRequest.self, limit: limit)
            let client = ClientAddress.resolve(
                peer: ClientAddress.text(of: context.remoteAddress),
                forwardedFor: request.headers[values: Self.forwardedFor], trustedProxies: trustedProxies)
            return try Response.json(try await services.identity.login(login, from: client))
        }
        groups.public.post("auth/refresh") { request, _ in
            let refresh = try await request.decodeJSON(RefreshRequest.self, limit: limit)
            return try Response.json(try await services.identity.refresh(refreshToken: refresh.refreshToken))
        }
        groups.authenticated.post("auth/logout") { _, context in
            try await services.identity.logout(try context.requireIdentity())
            return Response(status: .noContent)
        }
        groups.authenticated.post("auth/lease") { _, context in
            try Response.json(try await services.identity.renewLease(try context.requireIdentity()))
        }
    }
}
