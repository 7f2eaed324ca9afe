import ArgumentParser
import Foundation
import RapportCLISupport

/// A status change by `POST /v1/admin/staff/{id}/<action>`.
public protocol StaffStatusChange: AsyncParsableCommand {
    var global: GlobalOptions { get }
    var staff: String { get }
    /// The path's last component.
    static var action: String { get }
    /// What happened, for people.
    static var done: String { get }
}

extension StaffStatusChange {
    /// Runs the change and shows the person afterwards.
    public func run() async throws {
        try await CommandContext.with(global) { context in
            let person = try await Resolver(context).staff(staff)
            let updated = try await context.connection.json(
                .POST, "/v1/admin/staff/\(Resolver.id(person))/\(Self.action)")
            if try context.emitIfHeld(updated) { return }
            if context.json {
                try context.printStructured(updated)
            } else {
                context.terminal.print(
                    "\(updated["name"]?.text ?? staff) \(Self.done); status is now \(context.colourise(updated["status"]?.text ?? "?")).")
            }
        }
    }
}

extension StaffCommand {
    /// `staff notice`.
    public struct Notice: StaffStatusChange {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Put someone on notice: read-only, no export, no unmasking, stricter alerts.",
            discussion: """
                Examples:
                  rapport-admin staff notice "Ana Lima"
                """)
        /// The endpoint's last path component.
        public static let action = "notice"
        /// What happened, for people.
        public static let done = "is on notice from their next request"
        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Creates the command.
        public init() {}
    }

    /// `staff suspend`.
    public struct Suspend: StaffStatusChange {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Suspend someone: every session ends and devices are told to wipe.",
            discussion: """
                Examples:
                  rapport-admin staff suspend "Ana Lima"
                """)
        /// The endpoint's last path component.
        public static let action = "suspend"
        /// What happened, for people.
        public static let done = "was suspended"
        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Creates the command.
        public init() {}
    }

    /// `staff reinstate`.
    public struct Reinstate: StaffStatusChange {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Reinstate someone on notice or suspended (back to active).",
            discussion: """
                Examples:
                  rapport-admin staff reinstate "Ana Lima"
                """)
        /// The endpoint's last path component.
        public static let action = "reinstate"
        /// What happened, for people.
        public static let done = "was reinstated"
        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Creates the command.
        public init() {}
    }

    /// `staff unlock`.
    public struct Unlock: StaffStatusChange {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Lift the sign-in lockout after repeated failed sign-ins.",
            discussion: """
                Clears every failure count of the person's login name (from their usual addresses and from others). A blocked client address is not lifted by this; it expires by itself (loginAddressBlockMinutes).

                Examples:
                  rapport-admin staff unlock ana.rep
                """)
        /// The endpoint's last path component.
        public static let action = "unlock"
        /// What happened, for people.
        public static let done = "can sign in again"
        @OptionGroup public var global: GlobalOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// Creates the command.
        public init() {}
    }

    /// `staff offboard`.
    public struct Offboard: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Offboard someone: revoke and wipe every device, reassign customers, report recent access.",
            discussion: """
                Irreversible. Asks for confirmation on a terminal; needs --yes otherwise.

                Examples:
                  rapport-admin staff offboard "Ana Lima" --reassign-to "Martin Keller"
                  rapport-admin staff offboard ana.lima --reassign-team "Sales North" --days 30 --yes --json
                """)

        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Who.
        @Argument(help: "Name, login name or id.") public var staff: String
        /// New owner.
        @Option(name: .customLong("reassign-to"), help: "Colleague who takes over the customers.")
        public var reassignTo: String?
        /// New team.
        @Option(name: .customLong("reassign-team"), help: "Team the customers move to.") public var reassignTeam: String?
        /// Report length.
        @Option(help: "Days of access history to report (1–365).") public var days = 60

        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard reassignTo != nil || reassignTeam != nil else {
                throw ValidationError("say who takes over the customers: --reassign-to COLLEAGUE or --reassign-team TEAM")
            }
            guard (1...365).contains(days) else { throw ValidationError("--days must be from 1 to 365, not \(days)") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                let resolver = Resolver(context)
                let person = try await resolver.staff(staff)
                var body = OffboardBody(reportDays: days)
                var target: [String] = []
                if let reassignTo {
                    let colleague = try await resolver.staff(reassignTo)
                    body.reassignTo = Resolver.id(colleague)
                    target.append(colleague["name"]?.text ?? reassignTo)
                }
                if let reassignTeam {
                    let team = try await resolver.team(reassignTeam)
                    body.reassignTeam = Resolver.id(team)
                    target.append("team \(team["name"]?.text ?? reassignTeam)")
                }
                let name = person["name"]?.text ?? staff
                try await context.confirm(
                    "Offboard \(name)? Every device is revoked and wiped, the account is closed for good and customers go to \(target.joined(separator: ", ")).",
                    command: "staff offboard", confirmation)
                context.terminal.progress("Offboarding \(name)…")
                let report = try await context.connection.json(
                    .POST, "/v1/admin/staff/\(Resolver.id(person))/offboard", body: body)
                context.terminal.endProgress()
                try context.emit(report) { Self.describe($0, name: name) }
            }
        }

        static func describe(_ report: JSONValue, name: String) -> String {
            var lines: [String] = []
            let devices = report["devicesRevoked"]?.items() ?? []
            lines.append("Offboarded \(name); status is now \(report["staff.status"]?.text ?? "departed").")
            lines.append(
                "Devices revoked (each told to wipe on its next request): \(devices.count)"
                    + (devices.isEmpty ? "" : "\n" + devices.map { "  \($0.text)" }.joined(separator: "\n")))
            let reassignment = report["reassignment"]
            let customers = reassignment?["customers"]?.items() ?? []
            lines.append(
                "Customers: \(reassignment?["status"]?.text ?? "?") — \(customers.count) reassigned. \(reassignment?["message"]?.text ?? "")")
            if let access = report["access"] {
                lines.append("")
                lines.append(
                    "Access in the last period (\(access["from"]?.text ?? "") to \(access["to"]?.text ?? "")): \(access["entries"]?.text ?? "0") audit entries, \(access["records"]?.items().count ?? 0) distinct records.")
                lines.append(contentsOf: received(access))
                if case .object(let actions)? = access["actions"], !actions.isEmpty {
                    var table = Table(["ACTION", "COUNT"])
                    for key in actions.keys.sorted() { table.append([key, actions[key]!.text]) }
                    lines.append(table.render())
                }
                let entries = access["lines"]?.items() ?? []
                if !entries.isEmpty {
                    lines.append("")
                    lines.append(AuditCommand.table(Array(entries.prefix(50))).render())
                    if entries.count > 50 {
                        lines.append("… \(entries.count - 50) more; see them with --json or `rapport-admin audit search --staff \(report["staff.id"]?.text ?? "ID")`")
                    }
                }
            }
            return lines.joined(separator: "\n")
        }

        /// What the person received in the period: customers and records per kind, sensitive
        /// values, exports, refusals, sign-ins, devices and alerts (nothing for an older server).
        static func received(_ access: JSONValue) -> [String] {
            guard let received = access["received"] else { return [] }
            var records: [String] = []
            var total = 0
            if case .object(let kinds)? = received["records"] {
                for kind in kinds.keys.sorted() {
                    let count = kinds[kind]?.int ?? 0
                    total += count
                    records.append("\(kind) \(count)")
                }
            }
            let sensitive = access["sensitive"]
            let fields = sensitive?["fields"]?.items().map(\.text) ?? []
            return [
                "Received: \(received["customers"]?.text ?? "0") distinct customers, \(total) records"
                    + (records.isEmpty ? "" : " (\(records.joined(separator: ", ")))")
                    + " in \(received["deliveries"]?.text ?? "0") deliveries.",
                "Sensitive values: \(sensitive?["reveals"]?.text ?? "0") reveals, \(sensitive?["clearReads"]?.text ?? "0") deliveries in clear"
                    + " of \(sensitive?["records"]?.text ?? "0") records"
                    + (fields.isEmpty ? "." : " (\(fields.joined(separator: ", ")))."),
                "Exports: \(access["exports"]?.text ?? "0"). Refusals: \(access["refusals"]?.text ?? "0"). Sign-ins: \(access["logins"]?.text ?? "0") on \(access["devices"]?.items().count ?? 0) devices. Alerts: \(access["alerts"]?.text ?? "0").",
            ]
        }
    }
}

/// `POST /v1/admin/staff/{id}/offboard` body.
struct OffboardBody: Codable, Sendable {
    var reassignTo: String?
    var reassignTeam: String?
    var reportDays: Int
}
