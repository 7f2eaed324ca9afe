import Hummingbird
import Logging

/// `/healthz` (the process serves), `/readyz` (storage answers and, after a failed write, writes
/// again) and `/metrics` (Prometheus text; on its own listener instead when `metricsPort` is
/// set, see ``buildMetricsApplication(services:onServerRunning:)``). Outside `/v1`, unauthenticated: meant for the orchestrator and the scraper.
struct HealthRoutes {
    struct Status: Codable, Sendable {
        var status: String
    }

    func register(on router: Router<RapportRequestContext>, services: ServerServices) {
        router.get("healthz") { _, _ in
            try Response.json(Status(status: "ok"))
        }
        router.get("readyz") { _, context in
            do {
                try await services.storage.checkReachable()
                return try Response.json(Status(status: "ready"))
            } catch let error as ServerError
                where error.code == .storageFull || error.code == .storageIOError || error.code == .unavailable
            {
                // A full or failing disk, or an unreachable PostgreSQL: the error says which, with `Retry-After`.
                context.logger.warning("not ready: storage refuses work", metadata: ["error": "\(error.message)"])
                throw error
            } catch {
                context.logger.warning("readiness check failed: storage unreachable")
                throw ServerError(
                    .unavailable, "storage is unreachable; check the data directory and disk", cause: error)
            }
        }
        if services.configuration.metricsPort == nil {
            Self.registerMetrics(on: router, metrics: services.metrics)
        }
    }

    /// `GET /metrics`: on the API router, or alone on the metrics listener (`metricsPort`).
    static func registerMetrics<Context: RequestContext>(on router: Router<Context>, metrics: ServerMetrics) {
        router.get("metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: .init(string: metrics.render())))
        }
    }
}
