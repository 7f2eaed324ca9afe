import Foundation
import Hummingbird
import Logging
import RapportAccess

/// Sees every answer to an authenticated caller (after ``BearerAuthenticator``) and reports each
/// refusal — `401`, `403` or `429`, thrown or answered — to the ``ActivityMonitor`` and the
/// audit log (`accessDenied`, reason `"<status> <method> <path>"`), so repeated refusals raise
/// an alert in the request that crosses the threshold, whatever route refused.
///
/// Refusals inside a `200` (push mutations refused as `forbidden`) are reported by the sync
/// service. A failure to record is logged; the refusal is answered either way.
struct ActivityMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let monitor: ActivityMonitor

    /// The statuses that mean "refused by policy or quota".
    static let refusals: Set<Int> = [401, 403, 429]

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let identity = context.identity else { return try await next(request, context) }
        do {
            let response = try await next(request, context)
            if Self.refusals.contains(response.status.code) {
                await report(response.status.code, request: request, identity: identity, logger: context.logger)
            }
            return response
        } catch {
            let refusal = ServerError.from(error)
            let status = refusal.status.code
            if Self.refusals.contains(status), refusal.code != .wipeRequired {
                await report(status, request: request, identity: identity, logger: context.logger)
            }
            throw error
        }
    }

    private func report(_ status: Int, request: Request, identity: AuthenticatedIdentity, logger: Logger) async {
        do {
            try await monitor.audit.record(
                .accessDenied, actor: identity.staff.id, device: identity.device.id, allowed: false,
                reason: "\(status) \(request.method.rawValue) \(request.uri.path)")
            try await monitor.refused(identity.staff.id)
        } catch {
            logger.error(
                "could not record a refused request for anomaly detection",
                metadata: ["status": "\(status)", "cause": "\(error)"])
        }
    }
}
