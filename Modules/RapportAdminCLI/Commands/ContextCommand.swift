import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin context`: named servers, like `kubectl config use-context`. Each context keeps
/// a server URL, an optional CA file and its own session; `login --context NAME` creates one.
public struct ContextCommand: AsyncParsableCommand {
    /// Help and subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Named servers: list, switch, add, remove.",
        discussion: """
            A context is a server (and CA file) with its own saved session. Commands use the current context unless --context NAME or RAPPORT_CONTEXT names another; --server and --session-file still win for one command. Contexts are kept in ~/.config/rapport/contexts.json (RAPPORT_CONTEXTS_FILE), mode 0600.

            Examples:
              rapport-admin login --context prod --server https://crm.example.com --login-name grace.admin
              rapport-admin context add staging --server https://staging.crm.example.com
              rapport-admin context use staging
              rapport-admin staff list --context prod
            """,
        subcommands: [List.self, Use.self, Show.self, Add.self, Remove.self])

    /// Creates the command.
    public init() {}

    static func load() throws(AdminError) -> (ContextStore, ContextStore.Contents) {
        let store = ContextStore(path: ContextStore.defaultPath())
        return (store, try store.load())
    }

    static func describe(_ name: String, _ entry: ContextStore.Entry, store: ContextStore, current: String?) -> JSONValue {
        var value: [String: JSONValue] = [
            "name": .string(name), "server": .string(entry.server), "current": .bool(name == current),
            "sessionFile": .string(store.sessionPath(for: name)),
        ]
        if let caFile = entry.caFile { value["caFile"] = .string(caFile) }
        if let session = try? SessionStore(path: store.sessionPath(for: name)).load() {
            value["signedInAs"] = .string(session.loginName)
            value["sessionExpiresAt"] = .string(RapportWire.timestamp(session.refreshTokenExpiresAt))
        }
        return .object(value)
    }

    static func output(_ global: GlobalOptions, _ value: JSONValue, table: () -> Table, text: String? = nil) throws(AdminError) {
        let format = try global.outputFormat(environment: ProcessInfo.processInfo.environment)
        let terminal = Terminal.current
        if format.isStructured {
            let shown = try global.fieldSelection().map { (selection) throws(AdminError) in try selection.apply(to: value) } ?? value
            terminal.print(format.render(shown))
        } else if let text {
            terminal.print(text)
        } else {
            let rendered = table()
            if rendered.rows.isEmpty {
                terminal.printError("(no contexts; create one with `rapport-admin login --context NAME --server URL`)")
            } else {
                terminal.print(rendered.render())
            }
        }
    }

    /// `context list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the contexts; the current one is marked with *.",
            discussion: """
                Examples:
                  rapport-admin context list
                  rapport-admin context list -o json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            let (store, contents) = try ContextCommand.load()
            let values = contents.contexts.keys.sorted().map {
                ContextCommand.describe($0, contents.contexts[$0]!, store: store, current: contents.current)
            }
            try ContextCommand.output(global, .object(["contexts": .array(values)])) {
                var table = Table(["", "NAME", "SERVER", "SIGNED IN AS"])
                for value in values {
                    table.append([
                        value["current"]?.bool == true ? "*" : "", value["name"]?.text ?? "", value["server"]?.text ?? "",
                        value["signedInAs"]?.text ?? "(not signed in)",
                    ])
                }
                return table
            }
        }
    }

    /// `context use NAME`.
    public struct Use: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "use", abstract: "Make a context the current one.",
            discussion: """
                Examples:
                  rapport-admin context use staging
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The context's name.") public var name: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try ContextStore.validateName(name)
            let (store, contents) = try ContextCommand.load()
            guard let entry = contents.contexts[name] else {
                throw AdminError(
                    .notFound,
                    "there is no context named '\(name)'; see `rapport-admin context list`, or create it with `rapport-admin login --context \(name) --server URL`"
                )
            }
            var updated = contents
            updated.current = name
            try store.save(updated)
            try ContextCommand.output(
                global, ContextCommand.describe(name, entry, store: store, current: name), table: { Table([]) },
                text: "Current context is now \(name) (\(entry.server)).")
        }
    }

    /// `context show [NAME]`.
    public struct Show: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Show a context (default: the one commands would use now).",
            discussion: """
                Examples:
                  rapport-admin context show
                  rapport-admin context show prod -o yaml
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The context's name (default: current).") public var name: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            let (store, contents) = try ContextCommand.load()
            let environment = ProcessInfo.processInfo.environment
            guard let chosen = name ?? global.context ?? environment["RAPPORT_CONTEXT"] ?? contents.current else {
                throw AdminError(
                    .notFound, "no context is current; create one with `rapport-admin login --context NAME --server URL`")
            }
            guard let entry = contents.contexts[chosen] else {
                throw AdminError(.notFound, "there is no context named '\(chosen)'; see `rapport-admin context list`")
            }
            let value = ContextCommand.describe(chosen, entry, store: store, current: contents.current)
            try ContextCommand.output(
                global, value, table: { Table([]) },
                text: [
                    "name:       \(chosen)\(chosen == contents.current ? " (current)" : "")",
                    "server:     \(entry.server)",
                    "ca file:    \(entry.caFile ?? "(system trust)")",
                    "signed in:  \(value["signedInAs"]?.text ?? "no") \(value["sessionExpiresAt"].map { "until \($0.text)" } ?? "")",
                    "session:    \(store.sessionPath(for: chosen))",
                ].joined(separator: "\n"))
        }
    }

    /// `context add NAME --server URL`.
    public struct Add: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "add", abstract: "Add (or change) a context without signing in; `login --context` signs in.",
            discussion: """
                Examples:
                  rapport-admin context add staging --server https://staging.crm.example.com
                  rapport-admin context add lab --server https://10.0.0.5:8443 --ca-file lab-ca.pem
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The context's name, e.g. prod.") public var name: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard global.server != nil else { throw ValidationError("give the context's server with --server URL") }
        }

        /// Runs it.
        public func run() async throws {
            try ContextStore.validateName(name)
            let server = try ServerAddress.parse(global.server ?? "")
            let (store, contents) = try ContextCommand.load()
            var updated = contents
            updated.contexts[name] = ContextStore.Entry(server: server.url, caFile: global.caFile)
            if updated.current == nil { updated.current = name }
            try store.save(updated)
            try ContextCommand.output(
                global, ContextCommand.describe(name, updated.contexts[name]!, store: store, current: updated.current),
                table: { Table([]) },
                text: "Saved context \(name) (\(server.url))\(updated.current == name ? "; it is the current context" : ""). Sign in with `rapport-admin login --context \(name)`.")
        }
    }

    /// `context remove NAME`.
    public struct Remove: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Forget a context and delete its local session (sign out first to end it on the server).",
            discussion: """
                Examples:
                  rapport-admin logout --context staging && rapport-admin context remove staging
                """)
        @OptionGroup public var global: GlobalOptions
        /// Which.
        @Argument(help: "The context's name.") public var name: String
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try ContextStore.validateName(name)
            let (store, contents) = try ContextCommand.load()
            guard contents.contexts[name] != nil else {
                throw AdminError(.notFound, "there is no context named '\(name)'; see `rapport-admin context list`")
            }
            var updated = contents
            updated.contexts[name] = nil
            if updated.current == name { updated.current = nil }
            try store.save(updated)
            SessionStore(path: store.sessionPath(for: name)).delete()
            try ContextCommand.output(
                global, .object(["removed": .string(name)]), table: { Table([]) },
                text: "Removed context \(name) and its local session.\(contents.current == name ? " No context is current now." : "")")
        }
    }
}
