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
            discussion: "Examples:\n  rapport-admin insights tiers")
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/insights/tiers")
                try context.emit(value) { value in InsightsCommand.tierSummary(value) }
            }
        }
    }

    /// `insights rfm`.
    public struct RFM: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "rfm", abstract: "Recency, frequency and monetary scores per customer.",
            discussion: "Examples:\n  rapport-admin insights rfm --json")
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
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
            discussion: "Examples:\n  rapport-admin insights warnings")
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}
        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/insights/warnings")
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
