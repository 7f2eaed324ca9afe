import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin change …`: changes that widen someone's access (role edits and assignments,
/// new people, moves, reinstatements, settings) wait here for a second administrator.
public struct ChangeCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "change",
        abstract: "List, approve or reject changes waiting for a second administrator.",
        discussion: """
            A change that widens someone's effective access beyond the organisation's bounds (sensitive or secret fields in clear, reach outside their team subtree, export, quotas above the built-in role's) is held: it has no effect until another administrator — not the requester, not the person it widens — approves it. Pending grants are listed by `grant list` and approved with `grant approve`.

            Examples:
              rapport-admin change list
              rapport-admin change approve 9B0E2C64-5E0B-4E59-A6B7-0B5B0B8F7B11 --yes
              rapport-admin change reject 9B0E2C64-5E0B-4E59-A6B7-0B5B0B8F7B11
            """,
        subcommands: [List.self, Approve.self, Reject.self])

    /// Creates the command.
    public init() {}

    static func validate(request: String) throws {
        guard UUID(uuidString: request) != nil else {
            throw ValidationError("'\(request)' is not a request id (a UUID)")
        }
    }

    static func table(_ items: [JSONValue]) -> Table {
        var table = Table(["ID", "STATUS", "CHANGE", "WIDENS", "REQUESTED"])
        for item in items {
            let widenings = item.items("widenings")
            let widens = widenings.compactMap { $0["detail"]?.text }.joined(separator: "; ")
            table.append([
                item["id"]?.text ?? "", item["status"]?.text ?? "", item["summary"]?.text ?? "", widens,
                item["requestedAt"]?.text ?? "",
            ])
        }
        return table
    }

    /// `change list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List change requests (pending by default).",
            discussion: """
                Examples:
                  rapport-admin change list
                  rapport-admin change list --all --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Every status.
        @Flag(help: "Include approved and rejected requests.") public var all = false
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(
                    .GET, "/v1/admin/changes", query: all ? [] : [("status", "pending")])
                try context.emit(value) { ChangeCommand.table($0.items("changes")) }
            }
        }
    }

    /// `change approve`.
    public struct Approve: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Approve a change another administrator requested; it is judged again and applied.",
            discussion: """
                Examples:
                  rapport-admin change approve 9B0E2C64-5E0B-4E59-A6B7-0B5B0B8F7B11 --yes
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// Which.
        @Argument(help: "The request id (from `change list`).") public var request: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws { try ChangeCommand.validate(request: request) }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                try await context.confirm(
                    "Approve change \(request)? It widens someone's access.", command: "change approve",
                    confirmation)
                let value = try await context.connection.json(.POST, "/v1/admin/changes/\(request)/approve")
                try context.emit(value) { "Approved and applied: \($0["summary"]?.text ?? request)." }
            }
        }
    }

    /// `change reject`.
    public struct Reject: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Reject (or, as the requester, withdraw) a pending change.",
            discussion: """
                Examples:
                  rapport-admin change reject 9B0E2C64-5E0B-4E59-A6B7-0B5B0B8F7B11
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The request id (from `change list`).") public var request: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws { try ChangeCommand.validate(request: request) }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.POST, "/v1/admin/changes/\(request)/reject")
                try context.emit(value) { "Rejected: \($0["summary"]?.text ?? request)." }
            }
        }
    }
}

extension CommandContext {
    /// Prints a change the server held for a second administrator (a 202 answer) and returns
    /// `true`; returns `false` for any other answer, which the command prints as usual.
    func emitIfHeld(_ value: JSONValue) throws(AdminError) -> Bool {
        guard value["status"]?.text == "pending", let summary = value["summary"]?.text, let id = value["id"]?.text
        else {
            return false
        }
        try emit(value) { _ in
            "Held for a second administrator (\(summary)): request \(id). Another administrator runs `rapport-admin change approve \(id)`."
        }
        return true
    }
}
