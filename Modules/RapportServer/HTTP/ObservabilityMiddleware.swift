import HTTPTypes
import Hummingbird
import Logging

/// Outermost middleware: gives every response an `X-Request-ID` (the id in every log line of
/// the request, services' lines included: it sets ``RequestLogScope`` for the handlers), enforces the body limit declared by `Content-Length`, records request count
/// and latency by route template and status, and logs one line per request (method, route,
/// status, duration — no bodies, no query values).
struct ObservabilityMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let metrics: ServerMetrics
    let maxBodyBytes: Int

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        var response: Response
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBodyBytes {
            response = try ServerError(
                .bodyTooLarge,
                "the request body is \(length) bytes, more than the limit of \(maxBodyBytes); send less per request"
            ).response(from: request, context: context)
        } else {
            do {
                response = try await RequestLogScope.$requestId.withValue(context.id) {
                    try await next(request, context)
                }
            } catch {
                response = try ServerError.from(error).response(from: request, context: context)
            }
        }
        let route = context.endpointPath ?? "NotFound"
        let elapsed = clock.now - start
        response.headers[HTTPField.Name("X-Request-ID")!] = context.id
        metrics.recordRequest(
            route: route, method: request.method.rawValue, status: response.status.code, duration: elapsed)
        context.logger.info(
            "request",
            metadata: [
                "method": "\(request.method.rawValue)", "route": "\(route)", "status": "\(response.status.code)",
                "ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        return response
    }
}
