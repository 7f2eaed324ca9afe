import Foundation
import Hummingbird
import Logging
import NIOCore
import RapportAccess
import RapportModels
import RapportProtocol

/// Writes an audit entry for every sign-in attempt on `POST /v1/auth/login`: allowed with the
/// person and device on success; refused with the error code (`invalidCredentials`,
/// `rateLimited`, `accountLocked`, `wipeRequired`, …) otherwise. The person is named when the
/// login name exists; the login name itself is never written (it may be a mistyped password).
struct LoginAuditMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let services: ServerServices

    private struct Attempt: Decodable {
        struct Device: Decodable { var id: UUID? }
        var loginName: String?
        var device: Device?
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method == .post, request.uri.path == "/v1/auth/login" else {
            return try await next(request, context)
        }
        var request = request
        let limit = services.configuration.limits.maxBodyBytes
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            // Read with the limit, never unbounded; the part read is gone, so answer here
            // rather than let the endpoint see a cut-off (or empty) body.
            let refusal = ServerError(
                .bodyTooLarge, "the request body is larger than the limit of \(limit) bytes; send less per request")
            await record(nil, outcome: refusal.code.wireName, context: context)
            throw refusal
        }
        let attempt = try? RapportJSON.decoder().decode(Attempt.self, from: Data(body.readableBytesView))
        let response: Response
        do {
            response = try await next(request, context)
        } catch {
            await record(attempt, outcome: ServerError.from(error).code.wireName, context: context)
            throw error
        }
        let outcome = response.status.code < 300 ? nil : "HTTP \(response.status.code)"
        await record(attempt, outcome: outcome, context: context)
        return response
    }

    /// `outcome` is `nil` for a successful sign-in, else the refusal's code.
    private func record(_ attempt: Attempt?, outcome: String?, context: Context) async {
        var staffId: UUID?
        if let name = attempt?.loginName, !name.isEmpty {
            staffId = try? await services.storage.credential(loginName: name)?.staffId
        }
        do {
            try await services.audit.record(
                .login, actor: staffId, device: attempt?.device?.id, records: staffId.map { [$0] } ?? [],
                allowed: outcome == nil, reason: outcome ?? "signedIn")
        } catch {
            context.logger.error("could not audit a sign-in", metadata: ["error": "\(error)"])
        }
    }
}
