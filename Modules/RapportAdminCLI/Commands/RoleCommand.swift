import ArgumentParser
import Foundation
import RapportAccess
import RapportCLISupport

/// `rapport-admin role …`: list and show roles, create custom roles, assign roles to people and
/// approve role changes waiting for a second administrator.
public struct RoleCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "role",
        abstract: "Manage roles: list, show, create, assign, approve.",
        discussion: """
            Examples:
              rapport-admin role list
              rapport-admin role show salesRep
              rapport-admin role create --id analyst --name "Analyst" --based-on auditor --scope team
              rapport-admin role assign "Ana Lima" --add manager --yes
            """,
        subcommands: [List.self, Show.self, Create.self, Edit.self, Assign.self, ChangeCommand.Approve.self])

    /// Creates the command.
    public init() {}

    /// Names of a scope's parts.
    static func scopeText(_ scope: RecordScope) -> String {
        let names: [(RecordScope, String)] = [
            (.own, "own"), (.team, "team"), (.assignedComplaints, "assignedComplaints"), (.organisation, "organisation"),
        ]
        let parts = names.filter { scope.contains($0.0) }.map(\.1)
        return parts.isEmpty ? "none" : parts.joined(separator: "+")
    }

    static func parseScope(_ text: String) throws -> RecordScope {
        var scope: RecordScope = []
        for part in text.split(whereSeparator: { $0 == "," || $0 == "+" }) {
            switch part.lowercased() {
            case "own": scope.insert(.own)
            case "team": scope.insert(.team)
            case "assignedcomplaints", "complaints": scope.insert(.assignedComplaints)
            case "organisation", "organization", "org": scope.insert(.organisation)
            default:
                throw ValidationError("'\(part)' is not a scope; use own, team, assignedComplaints or organisation")
            }
        }
        return scope
    }

    static func exports(_ role: Role) -> Bool {
        role.permissions.otherEntities.contains(.export) || role.permissions.entities.values.contains { $0.contains(.export) }
    }

    static func table(_ roles: [Role]) -> Table {
        var table = Table(["ID", "NAME", "SCOPE", "SENSITIVE", "SECRET", "EXPORT"])
        for role in roles {
            table.append([
                role.id.rawValue, role.name, scopeText(role.scope), "\(role.permissions.sensitive.read)",
                "\(role.permissions.secret.read)", exports(role) ? "yes" : "no",
            ])
        }
        return table
    }

    static func roles(_ connection: AdminConnection) async throws(AdminError) -> (JSONValue, [Role]) {
        let value = try await connection.json(.GET, "/v1/admin/roles")
        let roles = value.items("roles").compactMap { item -> Role? in
            guard let data = try? RapportWire.encoder.encode(item) else { return nil }
            return try? RapportWire.decoder.decode(Role.self, from: data)
        }
        return (value, roles)
    }

    /// `role list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List roles (built-in and custom).",
            discussion: """
                Examples:
                  rapport-admin role list
                  rapport-admin role list --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let (value, roles) = try await RoleCommand.roles(context.connection)
                try context.emit(value) { _ in RoleCommand.table(roles) }
            }
        }
    }

    /// `role show`.
    public struct Show: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Show a role's scope, field access, entity permissions and quotas.",
            discussion: """
                Examples:
                  rapport-admin role show manager
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The role's id, e.g. salesRep.") public var role: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/roles/\(role)")
                guard !context.json else { return try context.printStructured(value) }
                guard let data = try? RapportWire.encoder.encode(value),
                    let decoded = try? RapportWire.decoder.decode(Role.self, from: data)
                else {
                    return try context.printStructured(value)
                }
                let permissions = decoded.permissions
                var fields: [(String, String)] = [
                    ("ID", decoded.id.rawValue), ("Name", decoded.name), ("Scope", RoleCommand.scopeText(decoded.scope)),
                    ("Ordinary fields", "read \(permissions.ordinary.read), write \(permissions.ordinary.write ? "yes" : "no")"),
                    ("Sensitive fields", "read \(permissions.sensitive.read), write \(permissions.sensitive.write ? "yes" : "no")"),
                    ("Secret fields", "read \(permissions.secret.read), write \(permissions.secret.write ? "yes" : "no")"),
                    ("Other records", Self.actions(permissions.otherEntities)),
                ]
                for (kind, actions) in permissions.entities.sorted(by: { "\($0.key)" < "\($1.key)" }) {
                    fields.append(("  \(kind)", Self.actions(actions)))
                }
                fields.append(("Quotas", value["quotas"]?.text ?? ""))
                try context.emitFields(value) { _ in fields }
            }
        }

        static func actions(_ actions: EntityActions) -> String {
            let names: [(EntityActions, String)] = [
                (.read, "read"), (.create, "create"), (.update, "update"), (.delete, "delete"), (.export, "export"),
            ]
            let parts = names.filter { actions.contains($0.0) }.map(\.1)
            return parts.isEmpty ? "none" : parts.joined(separator: ", ")
        }
    }

    /// `role create`.
    public struct Create: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Create a custom role, from a JSON file or based on an existing role.",
            discussion: """
                Examples:
                  rapport-admin role create --id analyst --name "Analyst" --based-on auditor --scope team
                  rapport-admin role create --file regional-manager.json
                """)
        @OptionGroup public var global: GlobalOptions
        /// From a file.
        @Option(help: "A role as JSON (the shape `role show --json` prints).") public var file: String?
        /// Id.
        @Option(help: "The new role's id (letters, digits, . _ -).") public var id: String?
        /// Name.
        @Option(help: "The new role's display name.") public var name: String?
        /// Template.
        @Option(name: .customLong("based-on"), help: "Copy permissions and quotas from this role.")
        public var basedOn: String?
        /// Scope.
        @Option(help: "Scope: own, team, assignedComplaints, organisation (combine with +).") public var scope: String?
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            if file != nil {
                guard id == nil, name == nil, basedOn == nil, scope == nil else {
                    throw ValidationError("--file cannot be combined with --id, --name, --based-on or --scope")
                }
            } else {
                guard id != nil, name != nil, basedOn != nil else {
                    throw ValidationError("give --file FILE, or --id, --name and --based-on (and optionally --scope)")
                }
                if let scope { _ = try RoleCommand.parseScope(scope) }
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var role: Role
                if let file {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        throw AdminError(.usage, "cannot read \(file); check the path")
                    }
                    do {
                        role = try RapportWire.decoder.decode(Role.self, from: data)
                    } catch {
                        throw AdminError(.usage, "\(file) is not a role in JSON; start from `rapport-admin role show ROLE --json`")
                    }
                } else {
                    let template = try await context.connection.decode(Role.self, .GET, "/v1/admin/roles/\(basedOn!)")
                    role = template
                    role.id = RoleID(rawValue: id!)
                    role.name = name!
                    if let scope { role.scope = try RoleCommand.parseScope(scope) }
                }
                let created = try await context.connection.json(.POST, "/v1/admin/roles", body: role)
                try context.emit(created) { _ in RoleCommand.table([role]) }
            }
        }
    }

    /// `role edit`.
    public struct Edit: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Change a role's definition from a JSON file; every holder is judged.",
            discussion: """
                If the new definition widens any holder's effective access beyond the bounds, the change waits for a second administrator (`change approve`) and has no effect until then.

                Examples:
                  rapport-admin role show analyst --json > analyst.json   # edit the file
                  rapport-admin role edit analyst --file analyst.json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The role's id.") public var role: String
        /// From a file.
        @Option(help: "The role as JSON (the shape `role show --json` prints).") public var file: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                guard let data = FileManager.default.contents(atPath: file),
                    let definition = try? RapportWire.decoder.decode(Role.self, from: data)
                else {
                    throw AdminError(.usage, "\(file) is not a readable role in JSON; start from `rapport-admin role show \(role) --json`")
                }
                let value = try await context.connection.json(.PUT, "/v1/admin/roles/\(role)", body: definition)
                if try context.emitIfHeld(value) { return }
                try context.emit(value) { _ in RoleCommand.table([definition]) }
            }
        }
    }

    /// `role assign`.
    public struct Assign: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Add roles to or remove roles from a person.",
            discussion: """
                Adding roles can widen access, so it asks for confirmation on a terminal and needs --yes otherwise. A change that widens their effective access beyond the organisation's bounds (fields in clear beyond the built-in role for their scope, reach outside their team subtree, export, larger quotas, admin rights) waits for a second administrator: the command prints the request id for `change approve` (or `role approve`).

                Examples:
                  rapport-admin role assign "Ana Lima" --add manager --yes
                  rapport-admin role assign ana.lima --remove manager
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Adding.
        @Option(name: .customLong("add"), help: "A role to add (repeatable).") public var adding: [String] = []
        /// Removing.
        @Option(name: .customLong("remove"), help: "A role to remove (repeatable).") public var removing: [String] = []
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard !adding.isEmpty || !removing.isEmpty else { throw ValidationError("give --add ROLE or --remove ROLE") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                let person = try await Resolver(context).staff(staff)
                let name = person["name"]?.text ?? staff
                if !adding.isEmpty {
                    try await context.confirm(
                        "Give \(name) the role(s) \(adding.joined(separator: ", "))? This can widen what they see.",
                        command: "role assign", confirmation)
                }
                let reply = try await context.connection.send(
                    .POST, "/v1/admin/roles/assign",
                    body: AssignBody(
                        staffId: Resolver.id(person), adding: adding.isEmpty ? nil : adding,
                        removing: removing.isEmpty ? nil : removing))
                let value = try JSONValue(data: reply.body)
                if try context.emitIfHeld(value) { return }
                try context.emit(value) { value in
                    return "\(name) now holds: \(value["roles"]?.text ?? "")."
                }
            }
        }
    }
}

/// `POST /v1/admin/roles/assign` body.
struct AssignBody: Codable, Sendable {
    var staffId: String
    var adding: [String]?
    var removing: [String]?
}
