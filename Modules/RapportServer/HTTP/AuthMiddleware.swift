import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Logging
import RapportAccess

/// hummingbird-auth's authenticator for `Authorization: Bearer <token>`: resolves the token to a
/// staff member and device on every request, straight from storage (no cache); the middleware
/// puts them in `context.identity`. A missing or malformed header, or a token that does not
/// resolve, is refused at once with a precise 401 (or the `wipeRequired` 403 of a revoked
/// device) rather than passed on unauthenticated.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = RapportRequestContext
    typealias Identity = AuthenticatedIdentity
    let identity: IdentityService

    func authenticate(request: Request, context: Context) async throws -> AuthenticatedIdentity? {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw ServerError(
                .unauthorized, "send 'Authorization: Bearer <access token>'; get a token with POST /v1/auth/login")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        return try await identity.authenticate(accessToken: token)
    }
}

/// Names the authenticated caller in every log line of the request (after ``BearerAuthenticator``).
struct IdentityLoggingMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let caller = context.identity {
            context.logger[metadataKey: "staff"] = "\(caller.staff.id)"
            context.logger[metadataKey: "device"] = "\(caller.device.id)"
        }
        return try await next(request, context)
    }
}

extension AuthorizationPolicyMiddleware
where Policy == ClosureAuthorizationPolicy<AuthenticatedIdentity>, Context == RapportRequestContext, DeniedError == ServerError {
    /// hummingbird-auth's authorization middleware letting only administrators through (after
    /// ``BearerAuthenticator``); others get 403 `forbidden`.
    static var administratorsOnly: Self {
        AuthorizationPolicyMiddleware(
            ClosureAuthorizationPolicy { identity, _ in identity.staff.isAdmin },
            deniedError: ServerError(.forbidden, "this endpoint is for administrators only"),
            context: RapportRequestContext.self)
    }
}
