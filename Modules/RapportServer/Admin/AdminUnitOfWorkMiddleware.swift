import Hummingbird

/// Runs every administrative change (`POST`, `PUT`, `PATCH`, `DELETE` under `/v1/admin`) as one
/// write unit of the server storage: the change, everything it cascades into (reassigned
/// records, revoked tokens, wiped devices) and its audit entry commit together, or — when the
/// handler throws — none of them. Live-channel notices and policy rebuilds wait for the commit
/// (``ServerStorage/afterCommit(_:)``).
///
/// Refusals are audited outside the unit, by ``ActivityMiddleware``, so a rolled-back change
/// still leaves its `accessDenied` entry. `POST /v1/admin/backup` is not a change and copies
/// the database file itself; it runs outside any unit.
struct AdminUnitOfWorkMiddleware: RouterMiddleware {
    typealias Context = RapportRequestContext
    let storage: any ServerStorage

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.method != .get, request.method != .head, !request.uri.path.hasSuffix("/admin/backup") else {
            return try await next(request, context)
        }
        return try await withoutActuallyEscaping(next) { next in
            let box = UncheckedSendable(next)
            return try await storage.write { _ in try await box.value(request, context) }
        }
    }
}

/// Carries the router's non-`Sendable` continuation into the unit's closure, which runs in the
/// same task before ``AdminUnitOfWorkMiddleware/handle(_:context:next:)`` returns.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
