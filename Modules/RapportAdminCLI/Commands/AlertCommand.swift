import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin alert …`: leak and anomaly alerts (Docs/Security.md, "Anomaly detection").
public struct AlertCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "alert",
        abstract: "Review alerts: list, show, ack, resolve.",
        discussion: """
            Examples:
              rapport-admin alert list --status open
              rapport-admin alert ack 2F3A…-…
              rapport-admin alert resolve 2F3A…-… --note "planned migration, confirmed with manager"
            """,
        subcommands: [List.self, Show.self, Ack.self, Resolve.self])

    /// Creates the command.
    public init() {}

    static func table(_ alerts: [JSONValue], names: [String: String] = [:]) -> Table {
        var table = Table(["ID", "SEVERITY", "RULE", "STAFF", "RAISED", "STATUS", "MESSAGE"])
        for alert in alerts {
            let staff = alert.first("alert.staffId", "staffId")?.text ?? ""
            table.append([
                alert["id"]?.text ?? "", severity(alert.first("alert.severity", "severity")),
                alert.first("alert.rule", "rule")?.text ?? "", names[staff] ?? staff, alert["raisedAt"]?.text ?? "",
                alert["status"]?.text ?? "", alert["message"]?.text ?? "",
            ])
        }
        return table
    }

    /// Severity names (the API sends 0…3).
    static func severity(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if let level = value.int, (0..<4).contains(level) { return ["low", "medium", "high", "critical"][level] }
        return value.text
    }

    /// `alert list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List alerts.",
            discussion: """
                Examples:
                  rapport-admin alert list
                  rapport-admin alert list --status acknowledged --json
                  rapport-admin alert list --staff "Ana Lima"
                """)
        @OptionGroup public var global: GlobalOptions
        /// Filter.
        @Option(help: "open, acknowledged or resolved.") public var status: String?
        /// Filter.
        @Option(help: "Only alerts about this person (name, login name or id).") public var staff: String?
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            if let status, !["open", "acknowledged", "resolved"].contains(status) {
                throw ValidationError("'\(status)' is not an alert status; use open, acknowledged or resolved")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var query = status.map { [("status", $0)] } ?? []
                if let staff { query.append(("staff", Resolver.id(try await Resolver(context).staff(staff)))) }
                let alerts = try await context.connection.json(.GET, "/v1/admin/alerts", query: query)
                let names = context.json ? [:] : await AuditCommand.names(context.connection)
                try context.emit(alerts) { AlertCommand.table($0.items("alerts"), names: names) }
            }
        }
    }

    /// `alert show`.
    public struct Show: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Show one alert.",
            discussion: """
                Examples:
                  rapport-admin alert show 2F3A…-…
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The alert id.") public var alert: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/alerts/\(alert)")
                let names = context.json ? [:] : await AuditCommand.names(context.connection)
                try context.emitFields(value) { value in
                    let staff = value["alert.staffId"]?.text ?? ""
                    return [
                        ("ID", value["id"]?.text ?? ""), ("Status", value["status"]?.text ?? ""),
                        ("Severity", AlertCommand.severity(value["alert.severity"])), ("Rule", value["alert.rule"]?.text ?? ""),
                        ("Staff", names[staff].map { "\($0) (\(staff))" } ?? staff),
                        ("Observed", value["alert.observed"]?.text ?? ""), ("Threshold", value["alert.threshold"]?.text ?? ""),
                        ("Baseline", value["alert.baseline"]?.text ?? ""), ("Raised", value["raisedAt"]?.text ?? ""),
                        ("Message", value["message"]?.text ?? ""), ("Acknowledged", value["acknowledgedAt"]?.text ?? ""),
                        ("Resolved", value["resolvedAt"]?.text ?? ""), ("Note", value["note"]?.text ?? ""),
                    ]
                }
            }
        }
    }

    /// `alert ack`.
    public struct Ack: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Acknowledge an alert (you are looking into it).",
            discussion: """
                Examples:
                  rapport-admin alert ack 2F3A…-…
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The alert id.") public var alert: String
        /// Note.
        @Option(help: "A note for the audit log.") public var note: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(
                    .POST, "/v1/admin/alerts/\(alert)/ack", body: NoteBody(note: note))
                try context.emit(value) { _ in "Alert \(alert) acknowledged." }
            }
        }
    }

    /// `alert resolve`.
    public struct Resolve: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Resolve an alert, saying why.",
            discussion: """
                Examples:
                  rapport-admin alert resolve 2F3A…-… --note "false positive: quarter-end reporting"
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The alert id.") public var alert: String
        /// Note.
        @Option(help: "Why it is resolved (mandatory).") public var note: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(
                    .POST, "/v1/admin/alerts/\(alert)/resolve", body: NoteBody(note: note))
                try context.emit(value) { _ in "Alert \(alert) resolved." }
            }
        }
    }
}

/// A body carrying an optional note.
struct NoteBody: Codable, Sendable {
    var note: String?
}
