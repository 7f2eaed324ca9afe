import ArgumentParser
import Foundation

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
            context.emit(value) { value in
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
            try await InsightsCommand.show(
                "tiers", global: global, key: "tiers",
                columns: [("TIER", ["tier"]), ("CUSTOMERS", ["customers", "count"]), ("PROFIT SHARE", ["profitShare"])])
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
                "rfm", global: global, key: "customers",
                columns: [
                    ("CUSTOMER", ["customerName", "customerId"]), ("R", ["recency"]), ("F", ["frequency"]),
                    ("M", ["monetary"]), ("SCORE", ["score"]),
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
            try await InsightsCommand.show(
                "warnings", global: global, key: "warnings",
                columns: [("CUSTOMER", ["customerName", "customerId"]), ("WARNING", ["kind", "rule"]), ("DETAIL", ["message", "detail"])])
        }
    }
}
