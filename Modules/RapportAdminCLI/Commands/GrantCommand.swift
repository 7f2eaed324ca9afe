import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin grant …`: explicit, expiring access for one person, always with a reason.
public struct GrantCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Manage grants: add, list, revoke, approve. Every grant expires and has a reason.",
        discussion: """
            Examples:
              rapport-admin grant add "Bo Chen" --customer 5D1E…-… --for 7d --reason "covering Ana's accounts"
              rapport-admin grant add "Bo Chen" --tag vip --tier key --until 2026-04-01 --reason "spring campaign"
              rapport-admin grant add olu.auditor --break-glass --for 2h --reason "incident 4711" --yes
              rapport-admin grant list --staff "Bo Chen"
            """,
        subcommands: [Add.self, List.self, Revoke.self, Approve.self])

    /// Creates the command.
    public init() {}

    static func table(_ grants: [JSONValue], names: [String: String]) -> Table {
        var table = Table(["ID", "GRANTEE", "TARGET", "PERMISSIONS", "KIND", "EXPIRES", "STATUS", "REASON"])
        for grant in grants {
            let grantee = grant["granteeId"]?.text ?? ""
            table.append([
                grant["id"]?.text ?? "", names[grantee] ?? grantee, targetText(grant["target"]),
                grant["permissions"]?.text ?? "", grant["kind"]?.text ?? "", grant["expiresAt"]?.text ?? "",
                status(grant), grant["reason"]?.text ?? "",
            ])
        }
        return table
    }

    /// `customer <id>`, `segment tag=vip tier=key`, or `organisation`.
    static func targetText(_ target: JSONValue?) -> String {
        guard let target else { return "" }
        if let customer = target["customer"]?.string { return "customer \(customer)" }
        if let segment = target["segment"] { return "segment \(segment.text)" }
        if target["organisation"]?.bool == true { return "organisation" }
        return target.text
    }

    /// `revoked`, `pending`, `active` or `expired`.
    static func status(_ grant: JSONValue) -> String {
        if grant["revokedAt"].map({ $0 != .null }) ?? false { return "revoked" }
        if grant["approval"]?.string == "pending" { return "pending" }
        if let effective = grant["effective"]?.bool { return effective ? "active" : "expired" }
        return grant["approval"]?.text ?? ""
    }

    /// `grant add`.
    public struct Add: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Give someone access to a customer or a segment, for a limited time and a reason.",
            discussion: """
                Give exactly one of --for (7d, 12h, 30m) or --until (a day or timestamp); standard grants last at most 30 days, break-glass at most 8 hours. Export and break-glass grants widen access: they ask for confirmation (or --yes) and wait for a second administrator.

                Examples:
                  rapport-admin grant add "Bo Chen" --customer 5D1E…-… --for 7d --reason "holiday cover"
                  rapport-admin grant add "Bo Chen" --team "Sales South" --permission read --permission write --for 14d --reason "merger"
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Grantee.
        @Argument(help: "Who receives access (name, login name or id).") public var staff: String
        /// Customer target.
        @Option(help: "One customer (id).") public var customer: String?
        /// Segment: tag.
        @Option(help: "Customers with this tag.") public var tag: String?
        /// Segment: tier.
        @Option(help: "Customers of this tier: key, normal, small, toDrop.") public var tier: String?
        /// Segment: team.
        @Option(help: "Customers filed under this team (name or id).") public var team: String?
        /// Permissions.
        @Option(name: .customLong("permission"), help: "read, write or export (repeatable; default read).")
        public var permissions: [String] = []
        /// Break-glass.
        @Flag(name: .customLong("break-glass"), help: "Emergency read access (hours; organisation-wide without a target).")
        public var breakGlass = false
        /// Duration.
        @Option(name: .customLong("for"), help: ArgumentHelp("How long: 30m, 12h, 7d, 2w.", valueName: "duration"), transform: GrantDuration.parse)
        public var duration: GrantDuration?
        /// End.
        @Option(help: "Until this day or timestamp (UTC).", transform: DateArgument.parse) public var until: DateArgument?
        /// Reason.
        @Option(help: "Why (mandatory; shown in the audit log and to the approver).") public var reason: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard (duration == nil) != (until == nil) else {
                throw ValidationError("every grant expires: give exactly one of --for DURATION (e.g. 7d) or --until DATE")
            }
            if let until, until.absoluteDate == nil {
                throw ValidationError("--until takes a day or timestamp (2026-04-01); for a length use --for")
            }
            guard !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationError("--reason must say why the access is needed")
            }
            let targets = [customer != nil, tag != nil || tier != nil || team != nil].filter { $0 }.count
            guard targets == 1 || (targets == 0 && breakGlass) else {
                throw ValidationError("name what the grant covers: --customer ID, or a segment (--tag, --tier, --team)")
            }
            if let customer, UUID(uuidString: customer) == nil {
                throw ValidationError("--customer takes a customer id (a UUID), not '\(customer)'")
            }
            for permission in permissions where !["read", "write", "export"].contains(permission) {
                throw ValidationError("'\(permission)' is not a permission; use read, write or export")
            }
            if let tier, !["key", "normal", "small", "toDrop"].contains(tier) {
                throw ValidationError("'\(tier)' is not a tier; use key, normal, small or toDrop")
            }
            if let duration, duration.apiText == nil {
                throw ValidationError("--for \(duration) is not a whole number of minutes; use m, h or d, e.g. 90m")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                let resolver = Resolver(context)
                let person = try await resolver.staff(staff)
                var body = GrantBody(
                    granteeId: Resolver.id(person), permissions: permissions.isEmpty ? ["read"] : permissions,
                    kind: breakGlass ? "breakGlass" : "standard", reason: reason)
                body.for = duration?.apiText
                body.until = until?.absoluteDate
                if let customer {
                    body.target = .init(customer: customer)
                } else if tag != nil || tier != nil || team != nil {
                    var teamId: String?
                    if let team { teamId = Resolver.id(try await resolver.team(team)) }
                    body.target = .init(segment: .init(tag: tag, tier: tier, teamId: teamId))
                } else {
                    body.target = .init(organisation: true)
                }
                if breakGlass || body.permissions.contains("export") {
                    try await context.confirm(
                        "Give \(person["name"]?.text ?? staff) \(breakGlass ? "break-glass" : "export") access? It widens what they can take.",
                        command: "grant add", confirmation)
                }
                let reply = try await context.connection.send(.POST, "/v1/admin/grants", body: body)
                let grant = try JSONValue(data: reply.body)
                try context.emit(grant) { grant in
                    let id = grant["id"]?.text ?? "?"
                    if reply.status == 202 || grant["approval"]?.text == "pending" {
                        return "Grant \(id) waits for a second administrator: they run `rapport-admin grant approve \(id)`."
                    }
                    return "Grant \(id) works until \(grant["expiresAt"]?.text ?? "?")."
                }
            }
        }
    }

    /// `grant list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List grants (all; --effective for those working now).",
            discussion: """
                Examples:
                  rapport-admin grant list
                  rapport-admin grant list --staff "Bo Chen" --effective --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Filter.
        @Option(help: "Only grants to this person.") public var staff: String?
        /// Only effective.
        @Flag(help: "Only grants that work now (approved, not expired, not revoked).") public var effective = false
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var query: [(String, String)] = []
                if let staff { query.append(("staff", Resolver.id(try await Resolver(context).staff(staff)))) }
                if effective { query.append(("effective", "true")) }
                let grants = try await context.connection.json(.GET, "/v1/admin/grants", query: query)
                let names = context.json ? [:] : await AuditCommand.names(context.connection)
                try context.emit(grants) { GrantCommand.table($0.items("grants"), names: names) }
            }
        }
    }

    /// `grant revoke`.
    public struct Revoke: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Revoke a grant from now on.",
            discussion: """
                Asks for confirmation on a terminal; needs --yes otherwise.

                Examples:
                  rapport-admin grant revoke 7A0C…-… --yes
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Which.
        @Argument(help: "The grant id.") public var grant: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard UUID(uuidString: grant) != nil else { throw ValidationError("'\(grant)' is not a grant id (a UUID); see `grant list`") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                try await context.confirm(
                    "Revoke grant \(grant)?", command: "grant revoke", confirmation)
                let value = try await context.connection.json(.POST, "/v1/admin/grants/\(grant)/revoke")
                try context.emit(value) { _ in "Grant \(grant) was revoked." }
            }
        }
    }

    /// `grant approve`.
    public struct Approve: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Approve a widening grant as the second administrator.",
            discussion: """
                Examples:
                  rapport-admin grant approve 7A0C…-…
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The grant id.") public var grant: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard UUID(uuidString: grant) != nil else { throw ValidationError("'\(grant)' is not a grant id (a UUID); see `grant list`") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.POST, "/v1/admin/grants/\(grant)/approve")
                try context.emit(value) { "Grant \(grant) is approved; it works until \($0["expiresAt"]?.text ?? "?")." }
            }
        }
    }
}

/// `POST /v1/admin/grants` body.
struct GrantBody: Codable, Sendable {
    struct Target: Codable, Sendable {
        struct Segment: Codable, Sendable {
            var tag: String?
            var tier: String?
            var teamId: String?
        }

        var customer: String?
        var segment: Segment?
        var organisation: Bool?
    }

    var granteeId: String
    var target = Target()
    var permissions: [String]
    var kind: String
    var reason: String
    /// A length such as `7d` (with `--for`).
    var `for`: String?
    /// An end (with `--until`).
    var until: Date?

    init(granteeId: String, permissions: [String], kind: String, reason: String) {
        self.granteeId = granteeId
        self.permissions = permissions
        self.kind = kind
        self.reason = reason
    }
}
