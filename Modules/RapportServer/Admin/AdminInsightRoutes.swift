import Foundation
import Hummingbird
import RapportAccess
import RapportInsights
import RapportModels

/// Insights computed with `InsightRules` (Docs/Insights.md) from the stored records:
///
/// - `GET /v1/admin/insights/tiers` — the value pyramid (`InsightValuePyramid`);
/// - `GET /v1/admin/insights/rfm` — RFM scores per customer, `{"asOf", "items"}`;
/// - `GET /v1/admin/insights/warnings` — every early warning, `{"asOf", "items"}`.
///
/// Query parameters: `asOf` (ISO-8601, default now; invalid → 400 naming it) and `timeZone`
/// (IANA name for calendar days and months, default UTC; unknown → 400 naming it). Canary
/// customers are left out. Every call is audited (`insightsViewed`).
struct AdminInsightRoutes: RouteModule {
    /// Results of one rule at one moment.
    struct Listed<Item: Encodable & Sendable>: Encodable, Sendable {
        var asOf: Date
        var items: [Item]
        /// Records that could not be read and were left out.
        var skippedRecords: Int
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.get("insights/tiers") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let (rules, asOf, adapter) = try await Self.inputs(admin)
            let facts = adapter.facts
            let pyramid = rules.valuePyramid(
                customers: facts.customers, orders: facts.orders, receivables: facts.receivables, asOf: asOf)
            try await admin.audit("insightsViewed", reason: "tiers")
            return try Response.json(pyramid)
        }
        groups.admin.get("insights/rfm") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let (rules, asOf, adapter) = try await Self.inputs(admin)
            let scores = rules.rfmScores(customers: adapter.facts.customers, orders: adapter.facts.orders, asOf: asOf)
            try await admin.audit("insightsViewed", reason: "rfm")
            return try Response.json(Listed(asOf: asOf, items: scores, skippedRecords: adapter.skipped))
        }
        groups.admin.get("insights/warnings") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let (rules, asOf, adapter) = try await Self.inputs(admin)
            let warnings = rules.warnings(for: adapter.facts, asOf: asOf)
            try await admin.audit("insightsViewed", reason: "warnings")
            return try Response.json(Listed(asOf: asOf, items: warnings, skippedRecords: adapter.skipped))
        }
    }

    /// The rules (calendar from `timeZone`), the moment (`asOf`) and the facts from the records.
    static func inputs(_ admin: AdminRequest) async throws -> (InsightRules, Date, InsightFactsAdapter) {
        let asOf = try admin.queryDate("asOf") ?? Date()
        var calendar = Calendar(identifier: .gregorian)
        if let name = try admin.query("timeZone") {
            guard let zone = TimeZone(identifier: name) else {
                throw ServerError.invalidField("timeZone", "must be an IANA time zone such as Asia/Shanghai")
            }
            calendar.timeZone = zone
        } else {
            calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        }
        let records = try admin.services.adminHooks.requireRecords()
        let canaries = try AdminCanaryRoutes.possibleCanaryIds(
            admin.services, organisation: try await admin.services.storage.organisation())
        let adapter = InsightFactsAdapter(
            records: try await records.liveRecords(of: InsightFactsAdapter.kinds), excluding: canaries)
        return (InsightRules(calendar: calendar), asOf, adapter)
    }
}
