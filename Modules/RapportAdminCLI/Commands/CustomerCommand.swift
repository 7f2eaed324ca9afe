import ArgumentParser
import Foundation

/// `rapport-admin customer reassign`: give customers to another owner (and team); devices
/// receive the change through sync.
public struct CustomerCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Customers: reassign.",
        discussion: """
            Examples:
              rapport-admin customer reassign 5D1E…-… 8C2B…-… --to "Martin Keller"
            """,
        subcommands: [Reassign.self])

    /// Creates the command.
    public init() {}

    /// `customer reassign`.
    public struct Reassign: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Reassign customers to a colleague or team.",
            discussion: """
                Examples:
                  rapport-admin customer reassign 5D1E…-… --to "Martin Keller"
                  rapport-admin customer reassign 5D1E…-… --team "Sales South" --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Customers.
        @Argument(help: "Customer ids.") public var customers: [String]
        /// New owner.
        @Option(help: "The new owner (name, login name or id).") public var to: String?
        /// New team.
        @Option(help: "The new team (name or id).") public var team: String?
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard !customers.isEmpty else { throw ValidationError("name at least one customer id") }
            for customer in customers where UUID(uuidString: customer) == nil {
                throw ValidationError("'\(customer)' is not a customer id (a UUID)")
            }
            guard to != nil || team != nil else { throw ValidationError("give --to COLLEAGUE and/or --team TEAM") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let resolver = Resolver(context)
                var body = ReassignBody()
                if let to { body.reassignTo = Resolver.id(try await resolver.staff(to)) }
                if let team { body.reassignTeam = Resolver.id(try await resolver.team(team)) }
                var results: [JSONValue] = []
                for (index, customer) in customers.enumerated() {
                    context.terminal.progress("Reassigning \(index + 1)/\(customers.count)…")
                    results.append(
                        try await context.connection.json(.POST, "/v1/admin/customers/\(customer)/reassign", body: body))
                }
                context.terminal.endProgress()
                try context.emit(.array(results)) { _ in "Reassigned \(results.count) customer(s)." }
            }
        }
    }
}

/// `POST /v1/admin/customers/{id}/reassign` body (intended shape, as offboarding's).
struct ReassignBody: Codable, Sendable {
    var reassignTo: String?
    var reassignTeam: String?
}
