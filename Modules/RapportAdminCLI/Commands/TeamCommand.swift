import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin team …`: add, list and move teams (teams form a tree).
public struct TeamCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "team",
        abstract: "Manage teams: add, list, move.",
        discussion: """
            Examples:
              rapport-admin team add "Sales East" --parent "Head Office"
              rapport-admin team list
              rapport-admin team move "Sales East" --parent "Sales North"
            """,
        subcommands: [Add.self, List.self, Move.self])

    /// Creates the command.
    public init() {}

    static func table(_ teams: [JSONValue]) -> Table {
        let names = Dictionary(teams.map { ($0["id"]?.text ?? "", $0["name"]?.text ?? "") }, uniquingKeysWith: { a, _ in a })
        var table = Table(["ID", "NAME", "PARENT"])
        for team in teams.sorted(by: { ($0["name"]?.text ?? "") < ($1["name"]?.text ?? "") }) {
            let parent = team["parentId"]?.text ?? ""
            table.append([team["id"]?.text ?? "", team["name"]?.text ?? "", names[parent] ?? parent])
        }
        return table
    }

    /// `team add`.
    public struct Add: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Add a team.",
            discussion: """
                Examples:
                  rapport-admin team add "Sales East"
                  rapport-admin team add "Key Accounts" --parent "Head Office" --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Name.
        @Argument(help: "The team's name.") public var name: String
        /// Parent.
        @Option(help: "The team above it (name or id).") public var parent: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var parentId: String?
                if let parent { parentId = Resolver.id(try await Resolver(context).team(parent)) }
                let team = try await context.connection.json(
                    .POST, "/v1/admin/teams", body: TeamBody(name: name, parentId: parentId))
                try context.emit(team) { TeamCommand.table([$0]) }
            }
        }
    }

    /// `team list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List teams.",
            discussion: """
                Examples:
                  rapport-admin team list
                  rapport-admin team list --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let teams = try await context.connection.json(.GET, "/v1/admin/teams")
                try context.emit(teams) { TeamCommand.table($0.items("teams")) }
            }
        }
    }

    /// `team move`.
    public struct Move: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Move a team under another team, or to the top with --root.",
            discussion: """
                Moving a team changes which managers see its customers.

                Examples:
                  rapport-admin team move "Sales East" --parent "Sales North"
                  rapport-admin team move "Sales East" --root
                """)
        @OptionGroup public var global: GlobalOptions
        /// Team.
        @Argument(help: "The team to move (name or id).") public var team: String
        /// New parent.
        @Option(help: "The new team above it (name or id).") public var parent: String?
        /// Top level.
        @Flag(help: "Make it a top-level team.") public var root = false
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard (parent != nil) != root else { throw ValidationError("give exactly one of --parent TEAM or --root") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let resolver = Resolver(context)
                let moving = try await resolver.team(team)
                var parentId: String?
                if let parent { parentId = Resolver.id(try await resolver.team(parent)) }
                let moved = try await context.connection.json(
                    .POST, "/v1/admin/teams/\(Resolver.id(moving))/move", body: MoveBody(parentId: parentId))
                if try context.emitIfHeld(moved) { return }
                try context.emit(moved) { _ in
                    "Moved \(moving["name"]?.text ?? team) " + (parent.map { "under \($0)." } ?? "to the top level.")
                }
            }
        }
    }
}

/// `POST /v1/admin/teams` body.
struct TeamBody: Codable, Sendable {
    var name: String
    var parentId: String?
}

/// `POST /v1/admin/teams/{id}/move` body (`parentId` null → top level).
struct MoveBody: Codable, Sendable {
    var parentId: String?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(parentId, forKey: .parentId)
    }
}
