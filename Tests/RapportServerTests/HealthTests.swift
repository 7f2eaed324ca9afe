import AsyncHTTPClient
import CoreMetrics
import Foundation
import NIOCore
import NIOHTTP1
import RapportServer
import RapportServerTesting
import Testing

@Suite("Health, readiness and metrics")
struct HealthTests {
    @Test func healthReadyAndMetrics() async throws {
        let server = try await TestServer.start()
        let health = try await server.send(.GET, "/healthz")
        #expect(health.status == 200)
        #expect(health.json["status"] as? String == "ok")
        #expect(health.headers.first(name: "X-Request-ID")?.isEmpty == false)

        let ready = try await server.send(.GET, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.json["status"] as? String == "ready")

        server.services.metrics.pushes.increment()
        let metrics = try await server.send(.GET, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)
        #expect(metrics.text.contains(#"http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
        #expect(metrics.text.contains("http_request_duration_seconds_bucket"))
        #expect(metrics.text.contains("rapport_sync_pushes_total 1"))
        let info = try await server.send(.GET, "/v1/info")
        let version = try #require(info.json["version"] as? String)
        #expect(metrics.text.contains(#"rapport_build_info{version="\#(version)",protocol=""#), "\(metrics.text.prefix(400))")
        for name in [
            "rapport_sync_pulls_total", "rapport_sync_conflicts_total", "rapport_sync_rejections_total",
            "rapport_sync_evictions_total", "rapport_active_devices", "rapport_alerts_total",
        ] {
            #expect(metrics.text.contains(name), "metric \(name)")
        }
        try await server.stop()
    }

    @Test("with metricsPort, /metrics is served on its own listener and not with the API")
    func metricsOnTheirOwnListener() async throws {
        let server = try await LiveServer.start { $0.metricsPort = 0 }
        let metricsPort = try #require(server.metricsPort)
        #expect(metricsPort != server.port)
        #expect(try await server.send(.GET, "/metrics").status == 404)
        #expect(try await server.send(.GET, "/healthz").status == 200)
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(metricsPort)/metrics")
        request.method = .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = String(buffer: try await response.body.collect(upTo: 1 << 20))
        #expect(response.status.code == 200)
        #expect(body.contains("rapport_build_info"))
        #expect(body.contains(#"http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
        try await server.stop()
    }
}
