import ArgumentParser
import Foundation
import RapportCLISupport

extension CustomerCommand {
    /// `customer export …`: request an export of the customer base, approve or reject another
    /// administrator's request, and download an approved one (CSV or JSON Lines, file or stdout).
    public struct Export: AsyncParsableCommand {
        /// The group.
        public static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Export customers: request, approve (another administrator), download once.",
            discussion: """
                Every export waits for a second administrator. The approval opens a 15-minute window in which the administrator who asked — and only they — downloads it once; the download counts against their quotas (exports per day, distinct customers per day). Request, approval, rejection and download are in the audit log with their counts. Sensitive fields come masked, as administrators read them.

                Examples:
                  rapport-admin customer export request --reason "year-end archive"
                  rapport-admin customer export list
                  rapport-admin customer export approve 3F2A…-… --yes           (as another administrator)
                  rapport-admin customer export download 3F2A…-… --file customers.csv
                  rapport-admin customer export download 3F2A…-… --format jsonl > customers.jsonl
                """,
            subcommands: [Request.self, List.self, Approve.self, Reject.self, Download.self])

        /// Creates the command.
        public init() {}

        /// The table of exports.
        static func table(_ exports: [JSONValue]) -> Table {
            var table = Table(["ID", "STATUS", "CUSTOMERS", "REQUESTED BY", "REQUESTED", "EXPIRES", "REASON"])
            for export in exports {
                table.append([
                    export["id"]?.text ?? "", export["status"]?.text ?? "", export["customers"]?.text ?? "",
                    export["requestedBy"]?.text ?? "", export["requestedAt"]?.text ?? "",
                    export["expiresAt"]?.text ?? "-", export["reason"]?.text ?? "",
                ])
            }
            return table
        }

        /// Checks that `id` is a UUID.
        static func validate(_ id: String) throws {
            guard UUID(uuidString: id) != nil else { throw ValidationError("'\(id)' is not an export id (a UUID)") }
        }
    }
}

extension CustomerCommand.Export {
    struct RequestBody: Encodable, Sendable {
        var reason: String
    }

    /// `customer export request --reason R`.
    public struct Request: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Ask for an export of every customer you may export; another administrator approves it.",
            discussion: """
                Examples:
                  rapport-admin customer export request --reason "year-end archive for the auditors"
                """)
        @OptionGroup public var global: GlobalOptions
        /// Why.
        @Option(help: "Why the export is needed (3–500 characters); the approver and the audit log read it.")
        public var reason: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard (3...500).contains(reason.trimmingCharacters(in: .whitespaces).count) else {
                throw ValidationError("--reason must have 3 to 500 characters")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(
                    .POST, "/v1/admin/customers/exports", body: RequestBody(reason: reason))
                try context.emit(value) { value in
                    let id = value["id"]?.text ?? "?"
                    return "Export \(id) of \(value["customers"]?.text ?? "?") customers waits for a second administrator, who runs `rapport-admin customer export approve \(id)`. Then download it within 15 minutes: `rapport-admin customer export download \(id) --file customers.csv`."
                }
            }
        }
    }

    /// `customer export list`.
    public struct List: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "List export requests, newest first (pending, approved, downloaded, expired, rejected).",
            discussion: """
                Examples:
                  rapport-admin customer export list
                  rapport-admin customer export list -o json
                """)
        @OptionGroup public var global: GlobalOptions
        /// Creates the command.
        public init() {}

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.GET, "/v1/admin/customers/exports")
                try context.emit(value) { CustomerCommand.Export.table($0.items("exports")) }
            }
        }
    }

    /// `customer export approve ID`.
    public struct Approve: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Approve another administrator's export request; they may then download it once within 15 minutes.",
            discussion: """
                Examples:
                  rapport-admin customer export approve 3F2A6D1E-0C5B-4B8E-9F1A-2D3C4B5A6978 --yes
                """)
        @OptionGroup public var global: GlobalOptions
        @OptionGroup public var confirmation: ConfirmationOptions
        /// The export.
        @Argument(help: "The export's id.") public var id: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws { try CustomerCommand.Export.validate(id) }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global, dryRun: confirmation.dryRun) { context in
                let export = try await context.connection.json(.GET, "/v1/admin/customers/exports/\(id)")
                try await context.confirm(
                    "Approve export \(id) of \(export["customers"]?.text ?? "?") customers (reason: \(export["reason"]?.text ?? ""))?",
                    command: "customer export approve", confirmation)
                let value = try await context.connection.json(.POST, "/v1/admin/customers/exports/\(id)/approve")
                try context.emit(value) {
                    "Approved export \(id); its requester may download it once until \($0["expiresAt"]?.text ?? "?")."
                }
            }
        }
    }

    /// `customer export reject ID`.
    public struct Reject: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Reject (or, as its requester, withdraw) a pending export request.",
            discussion: """
                Examples:
                  rapport-admin customer export reject 3F2A6D1E-0C5B-4B8E-9F1A-2D3C4B5A6978
                """)
        @OptionGroup public var global: GlobalOptions
        /// The export.
        @Argument(help: "The export's id.") public var id: String
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws { try CustomerCommand.Export.validate(id) }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                let value = try await context.connection.json(.POST, "/v1/admin/customers/exports/\(id)/reject")
                try context.emit(value) { _ in "Rejected export \(id)." }
            }
        }
    }

    /// `customer export download ID [--format csv|jsonl] [--file F]`.
    public struct Download: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Download your approved export, once: CSV or JSON Lines, to a file (created 0600) or stdout.",
            discussion: """
                CSV columns are the customer fields (id first), lists joined with ';' as `customer import` reads them; amounts are in minor units. The format defaults to the file's extension (.csv, .jsonl), else csv.

                Examples:
                  rapport-admin customer export download 3F2A…-… --file customers.csv
                  rapport-admin customer export download 3F2A…-… --format jsonl | jq .name
                """)
        @OptionGroup public var global: GlobalOptions
        /// The export.
        @Argument(help: "The export's id.") public var id: String
        /// Format.
        @Option(help: "csv or jsonl (default: from --file's extension, else csv).") public var format: String?
        /// Where.
        @Option(name: [.short, .long], help: "Write to this new file (created with mode 0600) instead of stdout.")
        public var file: String?
        /// Creates the command.
        public init() {}

        /// The format to write.
        var resolvedFormat: String {
            if let format { return format }
            if let file, file.lowercased().hasSuffix(".jsonl") || file.lowercased().hasSuffix(".ndjson") { return "jsonl" }
            return "csv"
        }

        /// Checks the arguments.
        public func validate() throws {
            try CustomerCommand.Export.validate(id)
            guard ["csv", "jsonl"].contains(resolvedFormat) else {
                throw ValidationError("--format must be csv or jsonl, not '\(resolvedFormat)'")
            }
            if let file, FileManager.default.fileExists(atPath: file) {
                throw ValidationError("\(file) exists; an export is downloaded once, so choose a new file name")
            }
        }

        /// Runs it.
        public func run() async throws {
            try await CommandContext.with(global) { context in
                // Create the file first: a download spends the approval, so fail before that.
                var sink: FileHandle = .standardOutput
                if let file {
                    guard FileManager.default.createFile(atPath: file, contents: nil, attributes: [.posixPermissions: 0o600]),
                        let handle = FileHandle(forWritingAtPath: file)
                    else {
                        throw AdminError(.local, "cannot create \(file); check the directory and permissions")
                    }
                    sink = handle
                }
                let reply: AdminConnection.Reply
                do {
                    reply = try await context.connection.send(.POST, "/v1/admin/customers/exports/\(id)/download")
                } catch {
                    if let file {
                        try? sink.close()
                        try? FileManager.default.removeItem(atPath: file)
                    }
                    throw error
                }
                let lines = reply.body.split(separator: UInt8(ascii: "\n"))
                switch resolvedFormat {
                case "jsonl":
                    sink.write(reply.body)
                default:
                    var records: [JSONValue] = []
                    for line in lines { records.append(try JSONValue(data: Data(line))) }
                    sink.write(Data(CSVWriter.csv(records, firstColumns: ["id", "name", "code"]).utf8))
                }
                if let file {
                    try? sink.close()
                    context.note("Wrote \(lines.count) customers to \(file) (\(resolvedFormat)); the approval is now spent.")
                }
            }
        }
    }
}
