import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin staff …`: add, list, show and update staff, and change their status
/// (notice, suspend, reinstate, offboard). People are named by id, login name or display name.
public struct StaffCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "staff",
        abstract: "Manage staff: add, list, show, update, notice, suspend, reinstate, offboard.",
        discussion: """
            Examples:
              rapport-admin staff list --status notice
              rapport-admin staff show ana.lima          (a login name, a display name or an id)
              rapport-admin staff offboard "Ana Lima" --reassign-to "Martin Keller" --days 60 --yes
            """,
        subcommands: [Add.self, List.self, Show.self, Update.self, Notice.self, Suspend.self, Reinstate.self, Unlock.self, Offboard.self])

    /// Creates the command.
    public init() {}

    /// The table of staff, with team names where known.
    static func table(_ staff: [JSONValue], teams: [String: String]) -> Table {
        var table = Table(["ID", "NAME", "LOGIN", "TEAM", "ROLES", "STATUS"])
        for person in staff {
            let teamId = person["teamId"]?.text ?? ""
            table.append([
                person["id"]?.text ?? "", person["name"]?.text ?? "", person["loginName"]?.string ?? "-",
                teams[teamId] ?? teamId,
                person["roles"]?.text ?? "", person["status"]?.text ?? "",
            ])
        }
        return table
    }

    /// Team names by id.
    static func teamNames(_ connection: AdminConnection) async throws(AdminError) -> [String: String] {
        let teams = try await connection.json(.GET, "/v1/admin/teams").items("teams")
        return Dictionary(teams.map { ($0["id"]?.text ?? "", $0["name"]?.text ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads a password: from stdin with `--password-stdin`, else twice from the terminal.
    static func readPassword(stdin: Bool, terminal: Terminal) throws(AdminError) -> String {
        if stdin {
            guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                throw AdminError(.usage, "--password-stdin was given but stdin is empty; pipe the password in")
            }
            return line
        }
        guard terminal.stdinIsTerminal else {
            throw AdminError(.usage, "no terminal to ask for the password on; pipe it in with --password-stdin")
        }
        let first = terminal.askSecret("New password: ") ?? ""
        guard first == terminal.askSecret("Repeat it: ") else {
            throw AdminError(.usage, "the two passwords differ; try again")
        }
        return first
    }

    /// Shows one person as fields.
    static func emitPerson(_ person: JSONValue, context: CommandContext, teams: [String: String]) throws(AdminError) {
        try context.emitFields(person) { person in
            let teamId = person["teamId"]?.text ?? ""
            var fields = [
                ("ID", person["id"]?.text ?? ""), ("Name", person["name"]?.text ?? ""),
                ("Team", teams[teamId].map { "\($0) (\(teamId))" } ?? teamId), ("Roles", person["roles"]?.text ?? ""),
                ("Status", person["status"]?.text ?? ""),
            ]
            if let login = person["loginName"]?.string { fields.insert(("Login", login), at: 2) }
            if case .array(let devices)? = person["devices"] {
                fields.append(("Devices", devices.isEmpty ? "none" : "\(devices.count)"))
                for device in devices {
                    fields.append(
                        ("  " + (device["id"]?.text ?? ""),
                            "\(device["name"]?.text ?? "") (\(device["platform"]?.text ?? "")) \(device["status"]?.text ?? ""), last seen \(device["lastSeenAt"]?.text ?? "")"))
                }
            }
            return fields
        }
    }
}

extension StaffCommand {
    /// `staff add`.
    public struct Add: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Add a member of staff with a login.",
            discussion: """
                Roles that widen access (admin, or roles with organisation scope or export) need a second administrator: add the person with ordinary roles, then `role assign`.

                Examples:
                  rapport-admin staff add "Ana Lima" --team "Sales North" --role salesRep --login-name ana.lima
                  printf '%s\\n' "$PW" | rapport-admin staff add "Bo Chen" --team "Sales South" --role salesRep --login-name bo.chen --password-stdin
                """)

        @OptionGroup public var global: GlobalOptions
        /// Display name.
        @Argument(help: "The person's name.") public var name: String
        /// Team.
        @Option(help: "Team name or id.") public var team: String
        /// Roles.
        @Option(name: .customLong("role"), help: "A role (repeat for several).") public var roles: [String] = []
        /// Login name.
        @Option(name: .customLong("login-name"), help: "Their login name.") public var loginName: String
        /// Password source.
        @Flag(name: .customLong("password-stdin"), help: "Read the initial password from stdin.")
        public var passwordStdin = false

        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard !roles.isEmpty else { throw ValidationError("give at least one --role, e.g. --role salesRep") }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("the name is empty") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let team = try await Resolver(context).team(self.team)
                let password = try StaffCommand.readPassword(stdin: passwordStdin, terminal: context.terminal)
                let created = try await context.connection.json(
                    .POST, "/v1/admin/staff",
                    body: NewStaffBody(
                        name: name, teamId: Resolver.id(team), roles: roles, loginName: loginName, password: password))
                if try context.emitIfHeld(created) { return }
                try StaffCommand.emitPerson(
                    created, context: context, teams: [Resolver.id(team): team["name"]?.text ?? ""])
            }
        }
    }

    /// `staff list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List staff.",
            discussion: """
                Examples:
                  rapport-admin staff list
                  rapport-admin staff list --status suspended --team "Sales North" --json
                """)

        @OptionGroup public var global: GlobalOptions
        /// Status filter.
        @Option(help: "Only this status: active, notice, suspended, departed.") public var status: String?
        /// Team filter.
        @Option(help: "Only this team (name or id).") public var team: String?

        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            if let status, !["active", "notice", "suspended", "departed"].contains(status) {
                throw ValidationError("'\(status)' is not a status; use active, notice, suspended or departed")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var query: [(String, String)] = []
                if let status { query.append(("status", status)) }
                if let team { query.append(("team", Resolver.id(try await Resolver(context).team(team)))) }
                let list = try await context.connection.json(.GET, "/v1/admin/staff", query: query)
                let teams = context.json ? [:] : try await StaffCommand.teamNames(context.connection)
                try context.emit(list) { StaffCommand.table($0.items("staff"), teams: teams) }
            }
        }
    }

    /// `staff show`.
    public struct Show: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Show a member of staff and their devices.",
            discussion: """
                Examples:
                  rapport-admin staff show "Ana Lima"
                  rapport-admin staff show 6F1C…-… --json
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
                let full = try await context.connection.json(.GET, "/v1/admin/staff/\(Resolver.id(person))")
                try StaffCommand.emitPerson(full, context: context, teams: try await StaffCommand.teamNames(context.connection))
            }
        }
    }

    /// `staff update`.
    public struct Update: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Change a person's name, team or login.",
            discussion: """
                Examples:
                  rapport-admin staff update "Ana Lima" --team "Sales South"
                  rapport-admin staff update ana.lima --login-name ana.l --password-stdin < pw.txt
                """)

        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// New name.
        @Option(help: "New display name.") public var name: String?
        /// New team.
        @Option(help: "New team (name or id).") public var team: String?
        /// New login.
        @Option(name: .customLong("login-name"), help: "New login name (with a new password).") public var loginName: String?
        /// New password.
        @Flag(name: .customLong("password-stdin"), help: "Read a new password from stdin (with --login-name).")
        public var passwordStdin = false

        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard name != nil || team != nil || loginName != nil else {
                throw ValidationError("nothing to change; give --name, --team or --login-name")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let resolver = Resolver(context)
                let person = try await resolver.staff(staff)
                var body = StaffUpdateBody(name: name)
                if let team { body.teamId = Resolver.id(try await resolver.team(team)) }
                if let loginName {
                    body.loginName = loginName
                    body.password = try StaffCommand.readPassword(stdin: passwordStdin, terminal: context.terminal)
                }
                let updated = try await context.connection.json(
                    .PATCH, "/v1/admin/staff/\(Resolver.id(person))", body: body)
                if try context.emitIfHeld(updated) { return }
                try StaffCommand.emitPerson(updated, context: context, teams: try await StaffCommand.teamNames(context.connection))
            }
        }
    }
}

/// `POST /v1/admin/staff` body.
struct NewStaffBody: Codable, Sendable {
    var name: String
    var teamId: String
    var roles: [String]
    var loginName: String
    var password: String
}

/// `PATCH /v1/admin/staff/{id}` body.
struct StaffUpdateBody: Codable, Sendable {
    var name: String?
    var teamId: String?
    var loginName: String?
    var password: String?
}
