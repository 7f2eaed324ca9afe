import ArgumentParser
import Foundation
import RapportCLISupport

/// `rapport-admin audit …`: read, search, verify and export the tamper-evident audit log.
public struct AuditCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read the audit log: tail, search, verify, export (JSON Lines).",
        discussion: """
            Examples:
              rapport-admin audit tail -n 20
              rapport-admin audit search --staff "Ana Lima" --action export --since 30d
              rapport-admin audit verify
              rapport-admin audit export --since 7d --file audit.jsonl
            """,
        subcommands: [Tail.self, Search.self, Verify.self, Export.self])

    /// Creates the command.
    public init() {}

    /// The table of audit lines.
    static func table(_ lines: [JSONValue], names: [String: String] = [:]) -> Table {
        var table = Table(["SEQ", "TIME", "ACTOR", "ACTION", "ALLOWED", "RECORDS", "REASON"])
        for line in lines {
            let actor = line["actorId"]?.text ?? ""
            table.append([
                line["sequence"]?.text ?? "", line["time"]?.text ?? "", names[actor] ?? (actor.isEmpty ? "server" : actor),
                line["action"]?.text ?? "", line["allowed"]?.text ?? "",
                (line["recordIds"]?.items() ?? []).map { names[$0.text] ?? $0.text }.joined(separator: ", "),
                line["reason"]?.text ?? "",
            ])
        }
        return table
    }

    /// Staff names by id, for readable tables.
    static func names(_ connection: AdminConnection) async -> [String: String] {
        guard let staff = try? await connection.json(.GET, "/v1/admin/staff").items("staff") else { return [:] }
        return Dictionary(staff.map { ($0["id"]?.text ?? "", $0["name"]?.text ?? "") }, uniquingKeysWith: { a, _ in a })
    }

    /// Filters shared by search and export.
    public struct Filters: ParsableArguments, Sendable {
        /// Staff filter.
        @Option(help: "Entries by or about this person (name, login name or id).") public var staff: String?
        /// Customer filter.
        @Option(help: "Entries naming this customer (id).") public var customer: String?
        /// Action filter.
        @Option(help: "Only this action, e.g. login, export, grantIssued, statusChanged.") public var action: String?
        /// From.
        @Option(
            name: [.customLong("since"), .customLong("from")],
            help: "From this time: a day (2026-03-01), a timestamp, or a time ago (24h, 7d).",
            transform: DateArgument.parse)
        public var since: DateArgument?
        /// To.
        @Option(
            name: [.customLong("until"), .customLong("to")], help: "Before this time (same forms as --since).",
            transform: DateArgument.parse)
        public var until: DateArgument?

        /// Creates the filters.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            if let customer, UUID(uuidString: customer) == nil {
                throw ValidationError("--customer takes a customer id (a UUID), not '\(customer)'")
            }
        }

        /// Query parameters for the API.
        func query(staffId: String?, now: Date) -> [(String, String)] {
            var query: [(String, String)] = []
            if let staffId { query.append(("staff", staffId)) }
            if let customer { query.append(("customer", customer)) }
            if let action { query.append(("action", action)) }
            if let since { query.append(("from", RapportWire.timestamp(since.resolve(now: now)))) }
            if let until { query.append(("to", RapportWire.timestamp(until.resolve(now: now)))) }
            return query
        }
    }

    /// `audit tail`.
    public struct Tail: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Show the newest entries, oldest first.",
            discussion: """
                Examples:
                  rapport-admin audit tail
                  rapport-admin audit tail -n 100 --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Count.
        @Option(name: [.customShort("n"), .customLong("lines")], help: "How many entries (1–1000).") public var count = 20
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard (1...1000).contains(count) else { throw ValidationError("-n must be from 1 to 1000, not \(count)") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let page = try await context.connection.json(.GET, "/v1/admin/audit", query: [("limit", "\(count)")])
                let lines = Array(page.items("entries").reversed())
                let names = context.json ? [:] : await AuditCommand.names(context.connection)
                try context.emit(.array(lines)) { AuditCommand.table($0.items(), names: names) }
            }
        }
    }

    /// `audit search`.
    public struct Search: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Search the log by staff, customer, action and time (newest first).",
            discussion: """
                Examples:
                  rapport-admin audit search --staff "Ana Lima" --since 30d
                  rapport-admin audit search --customer 5D1E…-… --action sensitiveRead --json
                  rapport-admin audit search --action login --since 2026-03-01 --until 2026-03-08 --limit 500
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var filters: Filters
        /// Limit.
        @Option(help: "At most this many entries.") public var limit = 100
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var staffId: String?
                if let staff = filters.staff { staffId = Resolver.id(try await Resolver(context).staff(staff)) }
                let base = filters.query(staffId: staffId, now: Date())
                var lines: [JSONValue] = []
                var cursor: String?
                repeat {
                    var query = base + [("limit", "\(min(1000, limit - lines.count))")]
                    if let cursor { query.append(("cursor", cursor)) }
                    let page = try await context.connection.json(.GET, "/v1/admin/audit", query: query)
                    lines += page.items("entries")
                    cursor = page["nextCursor"]?.string
                    context.terminal.progress("\(lines.count) entries…")
                } while cursor != nil && lines.count < limit
                context.terminal.endProgress()
                let names = context.json ? [:] : await AuditCommand.names(context.connection)
                try context.emit(.array(lines)) { AuditCommand.table($0.items(), names: names) }
            }
        }
    }

    /// `audit verify`.
    public struct Verify: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Check the log's hash chain, checkpoints and anchors; exit 1 if it was tampered with.",
            discussion: """
                Run it daily and before every offboarding report (Docs/Security.md, "Audit log").
                A cut-off end, a deleted checkpoint or a cut anchor file is reported with the
                entries missing ("Missing entries: 41–97").

                Examples:
                  rapport-admin audit verify
                  rapport-admin audit verify --json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}

        /// `"41–97, 120"` from the report's `missing` ranges, or `none`.
        static func ranges(_ items: [JSONValue]) -> String {
            let text = items.map { item in
                let first = item["first"]?.text ?? "?"
                let last = item["last"]?.text ?? "?"
                return first == last ? first : "\(first)–\(last)"
            }
            return text.isEmpty ? "none known" : text.joined(separator: ", ")
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let report = try await context.connection.json(.POST, "/v1/admin/audit/verify")
                let intact = report["intact"]?.bool ?? false
                try context.emitFields(report) { report in
                    [
                        ("Result", intact ? "intact" : "broken"),
                        ("Entries checked", report["entriesChecked"]?.text ?? ""),
                        ("Checkpoints checked", report["checkpointsChecked"]?.text ?? ""),
                        ("Last checkpoint verified", report["lastCheckpointVerified"]?.text ?? "none"),
                        ("Anchors checked", report["anchorsChecked"]?.text ?? "0"),
                    ] + (intact ? [] : [
                        ("Problem", report["problem"]?.text ?? ""),
                        ("First bad entry", report["firstBadSequence"]?.text ?? ""),
                        ("Missing entries", Self.ranges(report["missing"]?.items() ?? [])),
                    ]) + [("Message", report["message"]?.text ?? "")]
                        + (report["findings"]?.items() ?? []).dropFirst().map { ("Also", $0.text) }
                }
                if !intact {
                    throw AdminError(
                        .server,
                        "the audit log failed verification (\(report["problem"]?.text ?? "problem") at entry \(report["firstBadSequence"]?.text ?? "?")); trust nothing from that entry on, and follow the procedure in Docs/Security.md",
                        serverCode: "auditBroken")
                }
            }
        }
    }

    /// `audit export`.
    public struct Export: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Export entries as JSON Lines (one entry per line), to stdout or a file.",
            discussion: """
                The export itself is recorded in the audit log. Progress is shown on a terminal.

                Examples:
                  rapport-admin audit export --file audit.jsonl
                  rapport-admin audit export --since 7d --staff "Ana Lima" | jq .action
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var filters: Filters
        /// The file to write (`-o` is the global output format, so the file is `--file`).
        @Option(name: [.short, .long], help: "Write to this file (created with mode 0600) instead of stdout.")
        public var file: String?
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                var staffId: String?
                if let staff = filters.staff { staffId = Resolver.id(try await Resolver(context).staff(staff)) }
                let now = Date()
                var serverQuery: [(String, String)] = []
                if let since = filters.since { serverQuery.append(("from", RapportWire.timestamp(since.resolve(now: now)))) }
                if let until = filters.until { serverQuery.append(("to", RapportWire.timestamp(until.resolve(now: now)))) }
                var sink: FileHandle = .standardOutput
                if let output = file {
                    guard FileManager.default.createFile(atPath: output, contents: nil, attributes: [.posixPermissions: 0o600]),
                        let handle = FileHandle(forWritingAtPath: output)
                    else {
                        throw AdminError(.local, "cannot create \(output); check the directory and permissions")
                    }
                    sink = handle
                }
                var written = 0
                var seen = 0
                let customer = filters.customer?.lowercased()
                let action = filters.action
                let staff = staffId?.lowercased()
                try await context.connection.streamLines("/v1/admin/audit/export", query: serverQuery) { text throws(AdminError) in
                    seen += 1
                    if staff != nil || customer != nil || action != nil {
                        guard let line = try? JSONValue(data: Data(text.utf8)) else { return }
                        let records = (line["recordIds"]?.items() ?? []).map { $0.text.lowercased() }
                        if let staff, line["actorId"]?.text.lowercased() != staff, !records.contains(staff) { return }
                        if let customer, !records.contains(customer) { return }
                        if let action, line["action"]?.text != action { return }
                    }
                    sink.write(Data((text + "\n").utf8))
                    written += 1
                    if seen % 500 == 0 { context.terminal.progress("exported \(written) of \(seen) entries read…") }
                }
                context.terminal.endProgress()
                if file != nil { try? sink.close() }
                if let output = file { context.note("Exported \(written) entries to \(output).") }
            }
        }
    }
}
