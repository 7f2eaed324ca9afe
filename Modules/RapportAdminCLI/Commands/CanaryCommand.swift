import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin canary …`: plant per-person canary customers and trace leaked values back.
public struct CanaryCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "canary",
        abstract: "Canary records: plant, list, trace a leaked value to a person.",
        discussion: """
            Examples:
              rapport-admin canary plant "Ana Lima"
              rapport-admin canary list --staff "Ana Lima"
              rapport-admin canary trace "+86 138 1234 5678"
            """,
        subcommands: [Plant.self, List.self, Trace.self])

    /// Creates the command.
    public init() {}

    static func table(_ canaries: [JSONValue]) -> Table {
        var table = Table(["STAFF", "CUSTOMER", "NAME", "PHONE", "EMAIL"])
        for canary in canaries {
            table.append([
                canary.first("staffName", "staffId")?.text ?? "", canary.first("customerId", "id")?.text ?? "",
                canary["name"]?.text ?? "", canary.first("phone", "mobile")?.text ?? "", canary["email"]?.text ?? "",
            ])
        }
        return table
    }

    /// `canary plant`.
    public struct Plant: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Plant canary customers in one person's scope.",
            discussion: """
                Examples:
                  rapport-admin canary plant "Ana Lima"
                """)
        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let person = try await Resolver(context).staff(staff)
                let value = try await context.connection.json(
                    .POST, "/v1/admin/canaries", body: ["staffId": Resolver.id(person)])
                try context.emit(value) { CanaryCommand.table($0.items("planted") + $0.items("alreadyPresent")) }
            }
        }
    }

    /// `canary list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List planted canaries.",
            discussion: """
                Examples:
                  rapport-admin canary list --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Filter.
        @Option(help: "Only this person's canaries.") public var staff: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var query: [(String, String)] = []
                if let staff { query.append(("staff", Resolver.id(try await Resolver(context).staff(staff)))) }
                let value = try await context.connection.json(.GET, "/v1/admin/canaries", query: query)
                try context.emit(value) { CanaryCommand.table($0.items("canaries")) }
            }
        }
    }

    /// `canary trace`.
    public struct Trace: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Trace a leaked value back to the person a canary was planted for.",
            discussion: """
                The value may be a phone or e-mail, in full or masked as devices receive it
                (138****5678, z***@qq.com), a customer or history record id, a customer code, or a
                name. Every candidate is listed with the strength of the evidence (conclusive,
                strong, weak) and how many canaries share the value. Exit code 0 with matches, 1
                with none.

                Examples:
                  rapport-admin canary trace "+86 138 1234 5678"
                  rapport-admin canary trace "138****5678"
                  rapport-admin canary trace leaked@example.com --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Value.
        @Argument(help: "The value found outside.") public var value: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let result = try await context.connection.json(
                    .POST, "/v1/admin/canaries/trace", body: ["value": value])
                let staff = result.items("staff")
                let matches = staff.flatMap { $0.items("matches") }
                try context.emit(result) { _ in
                    var table = Table(["STAFF", "STATUS", "STRENGTH", "MATCHED", "CANDIDATES"])
                    for person in staff {
                        let found = person.items("matches")
                        table.append([
                            person.first("name", "staffId")?.text ?? "", person["status"]?.text ?? "",
                            person["strength"]?.text ?? "",
                            found.map { $0["field"]?.text ?? "" }.joined(separator: ", "),
                            found.map { $0["candidates"]?.text ?? "1" }.joined(separator: ", "),
                        ])
                    }
                    return table
                }
                if !matches.isEmpty, let note = result["note"]?.text { context.note("Note: \(note).") }
                if matches.isEmpty {
                    throw AdminError(.notFound, "'\(value)' matches no canary; it was not planted by this server")
                }
            }
        }
    }
}
