import Foundation
import RapportAdminCLI
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// The demo organisation's history is rich enough for the insight charts to show something:
/// every tier of the value pyramid, the main RFM segments and each early warning have members,
/// and few customers are too young to rank (issue 18: 1,919 of 2,000 were).
@Suite("Demo insights are not degenerate")
struct DemoInsightsTests {
    @Test("400 demo customers: every tier, five RFM segments and every warning kind populated")
    func demoInsights() async throws {
        try await withAdminServer { server, cli in
            let logins = try await DemoSeeder(identity: server.services.identity, customerCount: 400).seed()
            let grace = try #require(logins.first { $0.loginName == "grace.admin" })
            #expect(try await cli.login(server, login: "grace.admin", password: grace.password).status == 0)
            func insights(_ kind: String) async throws -> [String: Any] {
                let outcome = try await cli.run(["insights", kind, "-o", "json"])
                #expect(outcome.status == 0, "\(outcome)")
                return try #require(outcome.json as? [String: Any], "\(outcome)")
            }

            let tiers = try await insights("tiers")
            let results = try #require(tiers["results"] as? [[String: Any]], "\(tiers)")
            #expect(results.count == 400)
            var perTier: [String: Int] = [:]
            for result in results { perTier[result["tier"] as? String ?? "unranked", default: 0] += 1 }
            for tier in ["key", "normal", "small", "toDrop"] {
                #expect((perTier[tier] ?? 0) >= 10, "tier \(tier): \(perTier)")
            }
            let tooYoung = results.filter { $0["reason"] as? String == "tooYoung" }.count
            #expect(tooYoung > 0 && tooYoung < 40, "\(tooYoung) of 400 too young to rank")
            let ranked = results.filter { $0["reason"] as? String == "profitRank" }
            let key = ranked.filter { $0["computedTier"] as? String == "key" }.count
            #expect(key > 0 && key < ranked.count / 2, "key customers are the few who make 80% of profit: \(key) of \(ranked.count)")

            let scores = try #require(try await insights("rfm")["items"] as? [[String: Any]])
            var segments: [String: Int] = [:]
            for score in scores {
                let segment = InsightsCommand.segment(
                    recency: score["recencyScore"] as? Int ?? 0, frequency: score["frequencyScore"] as? Int ?? 0)
                segments[segment, default: 0] += 1
            }
            for segment in ["Champions", "Loyal", "New", "At risk", "Hibernating"] {
                #expect((segments[segment] ?? 0) > 0, "segment \(segment): \(segments)")
            }

            let items = try #require(try await insights("warnings")["items"] as? [[String: Any]])
            var kinds: [String: Int] = [:]
            for item in items { kinds[item["kind"] as? String ?? "?", default: 0] += 1 }
            for kind in ["creditOverLimit", "purchasesBehindPlan", "expensesOverBudget", "churnRisk"] {
                #expect((kinds[kind] ?? 0) > 0, "warning \(kind): \(kinds)")
            }
        }
    }
}
