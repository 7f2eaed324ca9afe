import Hummingbird
import Logging

/// Turns every error thrown below it into the JSON error body with the right status, and
/// logs server-side failures (code, message and cause — never the request body).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let serverError = ServerError.from(error)
            if serverError.status.code >= 500 {
                context.logger.error(
                    "request failed", metadata: ["code": "\(serverError.code)", "cause": "\(serverError.cause ?? "-")"])
            }
            return try serverError.response(from: request, context: context)
        }
    }
}
