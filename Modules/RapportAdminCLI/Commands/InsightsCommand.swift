import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin insights …`: the server's derived insight (Docs/Insights.md).
public struct InsightsCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "insights",
        abstract: "Insight: value tiers, RFM scores, early warnings.",
        discussion: """
            On a terminal each draws a chart first: the value pyramid (tiers), the recency × frequency grid and RFM segments (rfm), warning counts by kind and severity (warnings). -o json prints the server's data.

            Examples:
              rapport-admin insights tiers
              rapport-admin insights rfm --json
              rapport-admin insights warnings
            """,
        subcommands: [Tiers.self, RFM.self, Warnings.self])

    /// Creates the command.
    public init() {}

    static func show(_ path: String, global: GlobalOptions, key: String, columns: [(String, [String])]) async throws {
        try await CommandContext.with(global) { context in
            let value = try await context.connection.json(.GET, "/v1/admin/insights/\(path)")
            try context.emit(value) { value in
                var table = Table(columns.map(\.0))
                for item in value.items(key) {
                    table.append(columns.map { column in
                        column.1.lazy.compactMap { item[$0] }.first?.text ?? ""
                    })
                }
                return table
            }
        }
    }

    /// `insights tiers`.
    public struct Tiers: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Customers by value tier (key / normal / small / drop).",
            discussion: "The value pyramid: customers per tier, key at the top, with each tier's share of ranked profit.\n\nExamples:\n  rapport-admin insights tiers\n  rapport-admin insights tiers -o json")
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/insights/tiers")
                if !context.json, context.fields == nil, !value.items("results").isEmpty {
                    context.terminal.print(InsightsCommand.pyramid(value) + "\n")
                }
                try context.emit(value) { value in InsightsCommand.tierSummary(value) }
            }
        }
    }

    /// `insights rfm`.
    public struct RFM: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "rfm", abstract: "Recency, frequency and monetary scores: segments, or per customer.",
            discussion: """
                By default: the recency × frequency grid and the customers in each RFM segment (Champions, Loyal, New, Needs attention, At risk, Hibernating — Docs/Admin.md says how they are cut). --customers lists every customer's scores instead.

                Examples:
                  rapport-admin insights rfm
                  rapport-admin insights rfm --customers
                  rapport-admin insights rfm --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Per-customer table.
        @Flag(help: "List each customer's scores instead of the segment charts.") public var customers = false
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
            if !customers {
                try await CommandContext.with(global) { context in
                    let value = try await context.connection.json(.GET, "/v1/admin/insights/rfm")
                    if context.json || context.fields != nil {
                        try context.emit(value) { _ in Table([]) }
                    } else {
                        context.terminal.print(InsightsCommand.rfmCharts(value))
                    }
                }
                return
            }
            try await InsightsCommand.show(
                "rfm", global: global, key: "items",
                columns: [
                    ("CUSTOMER", ["customerName", "customerId"]), ("KIND", ["kind"]), ("R", ["recencyScore"]),
                    ("F", ["frequencyScore"]), ("M", ["monetaryScore"]), ("DAYS SINCE ORDER", ["recencyDays"]),
                    ("ORDERS", ["frequency"]), ("REVENUE (MINOR UNITS)", ["monetary"]),
                ])
        }
    }

    /// `insights warnings`.
    public struct Warnings: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Early warnings: receivables over credit, behind plan, over budget, churn risk.",
            discussion: "Counts by warning kind (critical and warning) as a chart, then each warning.\n\nExamples:\n  rapport-admin insights warnings\n  rapport-admin insights warnings -o json")
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/insights/warnings")
                if !context.json, context.fields == nil, !value.items("items").isEmpty {
                    context.terminal.print(InsightsCommand.warningChart(value) + "\n")
                }
                try context.emit(value) { value in
                    var table = Table(["CUSTOMER", "WARNING", "SEVERITY", "DETAIL"])
                    for item in value.items("items") {
                        var detail = ""
                        if case .object(let values)? = item["values"] {
                            detail = values.keys.sorted().map { "\($0)=\(values[$0]?.text ?? "")" }
                                .joined(separator: ", ")
                        }
                        table.append([
                            item["customerId"]?.text ?? "", item["kind"]?.text ?? "",
                            item["severity"]?.text ?? "", detail,
                        ])
                    }
                    return table
                }
            }
        }
    }
}

extension InsightsCommand {
    /// One row per tier (and per reason a customer is not ranked): how many customers and how
    /// much of the ranked profit, from the server's per-customer `results`.
    static func tierSummary(_ value: JSONValue) -> Table {
        var counts: [String: Int] = [:]
        var profits: [String: Double] = [:]
        for item in value.items("results") {
            let tier = item["tier"]?.text ?? ""
            let label = tier.isEmpty ? "unranked (\(item["reason"]?.text ?? "unknown"))" : tier
            counts[label, default: 0] += 1
            if case .number(let profit)? = item["profit"] { profits[label, default: 0] += profit }
        }
        var total = 0.0
        if case .number(let ranked)? = value["totalRankedProfit"] { total = ranked }
        let order = ["key", "normal", "small", "toDrop"]
        let labels = counts.keys.sorted { a, b in
            let (ia, ib) = (order.firstIndex(of: a) ?? order.count, order.firstIndex(of: b) ?? order.count)
            return ia != ib ? ia < ib : a < b
        }
        var table = Table(["TIER", "CUSTOMERS", "PROFIT (MINOR UNITS)", "SHARE OF RANKED PROFIT"])
        for label in labels {
            let profit = profits[label] ?? 0
            let share = total > 0 && !label.hasPrefix("unranked") ? String(format: "%.1f%%", profit / total * 100) : ""
            table.append([label, String(counts[label] ?? 0), String(Int64(profit)), share])
        }
        return table
    }
}

extension InsightsCommand {
    static let tierOrder = ["key", "normal", "small", "toDrop"]

    /// The value pyramid: customers per ranked tier, key at the top, with profit shares.
    static func pyramid(_ value: JSONValue) -> String {
        var counts: [String: Double] = [:]
        var profits: [String: Double] = [:]
        for item in value.items("results") {
            guard let tier = item["tier"]?.string else { continue }
            counts[tier, default: 0] += 1
            if case .number(let profit)? = item["profit"] { profits[tier, default: 0] += profit }
        }
        var total = 0.0
        if case .number(let ranked)? = value["totalRankedProfit"] { total = ranked }
        let levels: [Chart.Bar] = tierOrder.map { tier in
            let share = total > 0 ? String(format: "%.1f%% of ranked profit", (profits[tier] ?? 0) / total * 100) : ""
            return (tier, counts[tier] ?? 0, share)
        }
        return "Value pyramid (customers per tier)\n" + Chart.pyramid(levels, width: 40)
    }

    /// An RFM segment, cut from the recency and frequency scores (1–5, 5 best).
    public static func segment(recency r: Int, frequency f: Int) -> String {
        switch (r, f) {
        case (4..., 4...): "Champions"
        case (4..., ...2): "New"
        case (3..., 3...): "Loyal"
        case (...2, 3...): "At risk"
        case (...2, ...2): "Hibernating"
        default: "Needs attention"
        }
    }

    static let segmentOrder = ["Champions", "Loyal", "New", "Needs attention", "At risk", "Hibernating", "Not scored"]

    /// The recency × frequency grid and the segment bars.
    static func rfmCharts(_ value: JSONValue) -> String {
        let items = value.items("items")
        guard !items.isEmpty else { return "(no customers to score)" }
        var grid = Array(repeating: Array(repeating: 0, count: 5), count: 5)
        var segments: [String: Double] = [:]
        var revenue: [String: Double] = [:]
        var totalRevenue = 0.0
        for item in items {
            let money: Double = { if case .number(let m)? = item["monetary"] { return m } else { return 0 } }()
            totalRevenue += money
            guard let r = item["recencyScore"]?.int, let f = item["frequencyScore"]?.int, (1...5).contains(r), (1...5).contains(f)
            else {
                segments["Not scored", default: 0] += 1
                continue
            }
            grid[5 - r][f - 1] += 1
            let name = segment(recency: r, frequency: f)
            segments[name, default: 0] += 1
            revenue[name, default: 0] += money
        }
        let bars: [Chart.Bar] = segmentOrder.compactMap { name in
            guard let count = segments[name] else { return nil }
            let share = totalRevenue > 0 && name != "Not scored" ? String(format: "%.1f%% of revenue", (revenue[name] ?? 0) / totalRevenue * 100) : ""
            return (name, count, share)
        }
        return "Recency (rows, 5 = most recent) × frequency (columns, 5 = most orders)\n"
            + Chart.grid(
                rows: ["R5", "R4", "R3", "R2", "R1"], columns: ["F1", "F2", "F3", "F4", "F5"], counts: grid, rowTitle: "",
                columnTitle: "frequency")
            + "\n\nRFM segments (customers)\n" + Chart.bars(bars, width: 40)
    }

    /// Warning counts by kind, split by severity.
    static func warningChart(_ value: JSONValue) -> String {
        var critical: [String: Double] = [:]
        var warning: [String: Double] = [:]
        for item in value.items("items") {
            let kind = item["kind"]?.text ?? "?"
            if item["severity"]?.text == "critical" { critical[kind, default: 0] += 1 } else { warning[kind, default: 0] += 1 }
        }
        let kinds = Set(critical.keys).union(warning.keys).sorted {
            ((critical[$0] ?? 0) + (warning[$0] ?? 0), $1) > ((critical[$1] ?? 0) + (warning[$1] ?? 0), $0)
        }
        let bars: [Chart.Bar] = kinds.map { kind in
            let c = Int(critical[kind] ?? 0)
            let w = Int(warning[kind] ?? 0)
            return (kind, Double(c + w), "\(c) critical, \(w) warning")
        }
        return "Early warnings by kind\n" + Chart.bars(bars, width: 40)
    }
}
