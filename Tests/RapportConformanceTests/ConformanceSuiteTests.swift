import Foundation
import RapportClient
import RapportConformance
import RapportServer
import RapportServerTesting
import Testing

/// The conformance suite against our own server on an ephemeral port.
@Suite("Conformance suite")
struct ConformanceSuiteTests {
    @Test("every scenario passes against the Rapport server")
    func allScenariosPass() async throws {
        let server = try await LiveServer.start()
        do {
            let suite = ConformanceSuite(
                server: try ServerEndpoint(server.baseURL), adminLogin: server.admin.loginName, adminPassword: server.admin.password)
            let results = try await suite.run()
            #expect(results.count == ConformanceSuite.scenarios.count)
            for result in results {
                #expect(result.passed, "\(result.name): \(result.detail ?? "")")
            }
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }

    @Test("a wrong administrator password and an unknown scenario are refused before anything runs")
    func badArguments() async throws {
        let server = try await LiveServer.start()
        do {
            let endpoint = try ServerEndpoint(server.baseURL)
            let wrong = ConformanceSuite(server: endpoint, adminLogin: server.admin.loginName, adminPassword: "not the password")
            await #expect(throws: ConformanceFailure.self) { _ = try await wrong.run() }
            let suite = ConformanceSuite(server: endpoint, adminLogin: server.admin.loginName, adminPassword: server.admin.password)
            await #expect(throws: ConformanceFailure.self) { _ = try await suite.run(only: ["no-such-scenario"]) }
            try await server.stop()
        } catch {
            try? await server.stop()
            throw error
        }
    }
}
