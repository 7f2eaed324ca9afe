import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RapportAccess

/// Resolves `Authorization: Bearer <token>` to a staff member and device on every request,
/// straight from storage (no cache), and puts them in `context.identity`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let identity: IdentityService

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw ServerError(
                .unauthorized, "send 'Authorization: Bearer <access token>'; get a token with POST /v1/auth/login")
        }
        let token = header.dropFirst("bearer ".count).trimmingCharacters(in: .whitespaces)
        var context = context
        let caller = try await identity.authenticate(accessToken: token)
        context.identity = caller
        context.logger[metadataKey: "staff"] = "\(caller.staff.id)"
        context.logger[metadataKey: "device"] = "\(caller.device.id)"
        return try await next(request, context)
    }
}

/// Lets only administrators through (after ``AuthMiddleware``).
struct AdminOnlyMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard try context.requireIdentity().staff.isAdmin else {
            throw ServerError(.forbidden, "this endpoint is for administrators only")
        }
        return try await next(request, context)
    }
}
