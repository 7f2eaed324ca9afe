import ArgumentParser
import Foundation
import RapportModels
import RapportProtocol

/// `rapport-admin customer reassign`: give customers to another owner (and team); devices
/// receive the change through sync.
public struct CustomerCommand: AsyncParsableCommand {
    /// The group.
    public static let configuration = CommandConfiguration(
        commandName: "customer",
        abstract: "Customers: import, export, reassign.",
        discussion: """
            Examples:
              rapport-admin customer import customers.csv --owner "Ana Lima" --dry-run
              rapport-admin customer reassign 5D1E…-… 8C2B…-… --to "Martin Keller"
            """,
        subcommands: [Import.self, Export.self, Reassign.self])

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
        @Option(help: "The new owner (name or id).") public var to: String?
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

extension CustomerCommand {
    /// `customer import FILE`: creates customers from CSV or JSON Lines through the sync push
    /// endpoint, as the administrator's device — validated locally first, idempotent on re-runs.
    public struct Import: AsyncParsableCommand {
        /// Help.
        public static let configuration = CommandConfiguration(
            abstract: "Import customers from CSV (with a column mapping) or JSON Lines.",
            discussion: """
                Columns named like a customer field (name, code, status, individual.phones, … — see Docs/Models.md) are used as they are; map others with --map 'Column=field' (repeatable) or --mapping FILE (a JSON object), or skip them with --ignore. --set FIELD=VALUE fills a field every row needs (status and sourceChannel are required). ownerId, teamId and accountManagerId may hold names, login names or ids; --owner and --team fill them in. Lists (tags, phones) are split on ';'. Amounts like 12.50 become minor units.

                --dry-run validates every row and reports each bad row and field without sending anything. A row's record id is derived from --key COLUMN (else the code column, else the row's content), so running the same file again — after an interruption, say — creates nothing twice. Exit code 1 if any row failed.

                Examples:
                  rapport-admin customer import customers.csv --owner "Ana Lima" --set status=active --set sourceChannel=purchasedList --dry-run
                  rapport-admin customer import customers.csv --map 'Customer=name' --map 'Mobile=individual.phones' --key 'Customer no.' --owner "Ana Lima"
                  rapport-admin customer import customers.jsonl --team "Sales North" --owner "Martin Keller" -o json
                """)
        @OptionGroup public var global: GlobalOptions
        /// The file.
        @Argument(help: "A .csv or .jsonl file ('-' for stdin with --format).") public var file: String
        /// The format, when the extension does not say.
        @Option(help: "csv or jsonl (default: from the file's extension).") public var format: String?
        /// Column mapping.
        @Option(name: .customLong("map"), help: ArgumentHelp("COLUMN=field.path (repeatable).", valueName: "column=field"))
        public var map: [String] = []
        /// Mapping file.
        @Option(help: "A JSON object of \"Column\": \"field.path\" pairs.") public var mapping: String?
        /// Columns to skip.
        @Option(help: "A column to skip (repeatable).") public var ignore: [String] = []
        /// Constant values.
        @Option(name: .customLong("set"), help: ArgumentHelp("FIELD=VALUE for rows that leave FIELD empty (repeatable), e.g. --set status=active --set sourceChannel=purchasedList.", valueName: "field=value"))
        public var set: [String] = []
        /// Identity column.
        @Option(help: "The column that identifies a customer across runs (default: code, else the whole row).")
        public var key: String?
        /// Default owner.
        @Option(help: "Owner for rows without one (name or id).") public var owner: String?
        /// Default team.
        @Option(help: "Team for rows without one (default: the owner's team).") public var team: String?
        /// CSV delimiter.
        @Option(help: "The CSV field delimiter (default ',').") public var delimiter: String = ","
        /// Batch size.
        @Option(name: .customLong("batch-size"), help: "Customers per push (1–200).") public var batchSize = 200
        /// Validate only.
        @Flag(name: .customLong("dry-run"), help: "Validate every row and report problems; send nothing.")
        public var dryRun = false
        /// Creates the command.
        public init() {}

        /// Checks the arguments.
        public func validate() throws {
            guard (1...SyncLimits().maxBatchSize).contains(batchSize) else {
                throw ValidationError("--batch-size must be from 1 to \(SyncLimits().maxBatchSize)")
            }
            guard delimiter.count == 1 else { throw ValidationError("--delimiter must be one character, e.g. ';' or a tab") }
            if let format, !["csv", "jsonl"].contains(format.lowercased()) {
                throw ValidationError("--format must be csv or jsonl")
            }
        }

        /// Runs it.
        public func run() async throws {
            let kind = (format ?? (file as NSString).pathExtension).lowercased()
            guard kind == "csv" || kind == "jsonl" || kind == "ndjson" else {
                throw AdminError(.usage, "cannot tell the format of '\(file)'; name it .csv or .jsonl, or pass --format csv|jsonl")
            }
            let text: String
            if file == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw AdminError(.local, "cannot read \(file); check the path and permissions")
                }
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw AdminError(.usage, "\(file) is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in spreadsheets)")
                }
                text = decoded
            }
            let mappingData = try mapping.map { (path) throws(AdminError) -> Data in
                guard let data = FileManager.default.contents(atPath: path) else {
                    throw AdminError(.local, "cannot read the mapping file \(path)")
                }
                return data
            }
            let importer = CustomerImport(
                mapping: try CustomerImport.mapping(arguments: map, file: mappingData), ignored: Set(ignore), keyColumn: key,
                defaultOwner: owner, defaultTeam: team, listSeparator: ";",
                defaults: try CustomerImport.defaults(arguments: set))
            try await CommandContext.with(global) { context in
                let directory = try await Self.directory(context.connection)
                let plan =
                    kind == "csv"
                    ? try importer.plan(csv: CSVReader.read(text, delimiter: delimiter.first!), directory: directory)
                    : try importer.plan(jsonLines: text, directory: directory)
                var report = ImportReport(rows: plan.rows.count + Set(plan.problems.map(\.line)).count, problems: plan.problems)
                if !dryRun {
                    try await Self.push(plan.rows, batchSize: batchSize, context: context, report: &report)
                }
                report.problems.sort { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
                try context.emit(try JSONValue(encoding: report.summary(dryRun: dryRun, valid: plan.rows.count))) { _ in
                    report.text(dryRun: dryRun, valid: plan.rows.count)
                }
                if !report.problems.isEmpty {
                    throw AdminError(
                        .server, "\(Set(report.problems.map(\.line)).count) row(s) were not imported; fix them and run the same command again")
                }
            }
        }

        static func directory(_ connection: AdminConnection) async throws(AdminError) -> CustomerImport.Directory {
            let staff = try await connection.json(.GET, "/v1/admin/staff").items("staff")
            let teams = try await connection.json(.GET, "/v1/admin/teams").items("teams")
            var people: [String: (id: UUID, teamId: UUID)] = [:]
            var ambiguous = Set<String>()
            for person in staff {
                guard let id = UUID(uuidString: person["id"]?.text ?? ""), let teamId = UUID(uuidString: person["teamId"]?.text ?? "")
                else { continue }
                people[id.uuidString.lowercased()] = (id, teamId)
                for key in [person["loginName"]?.text, person["name"]?.text].compactMap({ $0?.lowercased() }) where !key.isEmpty {
                    if people[key] != nil, people[key]?.id != id { ambiguous.insert(key) }
                    people[key] = (id, teamId)
                }
            }
            for key in ambiguous { people[key] = nil }
            var byName: [String: UUID] = [:]
            for team in teams {
                guard let id = UUID(uuidString: team["id"]?.text ?? "") else { continue }
                byName[id.uuidString.lowercased()] = id
                if let name = team["name"]?.text.lowercased() { byName[name] = id }
            }
            return CustomerImport.Directory(staff: people, teams: byName)
        }

        /// Pushes the rows in batches, counting what the server did with each.
        static func push(
            _ rows: [CustomerImport.Row], batchSize: Int, context: CommandContext, report: inout ImportReport
        ) async throws {
            var clock = HybridLogicalClock(node: "rapport-admin-import")
            var done = 0
            for start in stride(from: 0, to: rows.count, by: batchSize) {
                let batch = Array(rows[start..<min(start + batchSize, rows.count)])
                let mutations = batch.map { row in
                    Mutation(
                        clientMutationId: row.clientMutationId, entity: .customer, recordId: row.recordId, op: .create,
                        baseVersion: 0, fields: row.fields,
                        hlc: clock.tick(wallMillis: Int64(Date().timeIntervalSince1970 * 1000)))
                }
                let body: Data
                do {
                    body = try SyncWire.encode(PushRequest(mutations: mutations))
                } catch {
                    throw AdminError(.local, "cannot encode the push: \(error)")
                }
                let reply = try await context.connection.send(.POST, "/v1/sync/push", json: body)
                let response: PushResponse
                do {
                    response = try SyncWire.decode(PushResponse.self, from: reply.body)
                } catch {
                    throw AdminError(.unexpectedResponse, "the server's answer to the push is not a sync push response; check the server version")
                }
                let lines = Dictionary(batch.map { ($0.clientMutationId, $0.line) }, uniquingKeysWith: { first, _ in first })
                for result in response.results {
                    let line = lines[result.clientMutationId] ?? 0
                    switch result.status {
                    case .applied, .merged:
                        if result.replayed == true { report.existing += 1 } else { report.created += 1 }
                    case .rejected:
                        if result.rejection?.code == .alreadyExists {
                            report.existing += 1
                        } else {
                            report.problems.append(
                                CustomerImport.Problem(
                                    line: line, field: result.rejection?.field,
                                    message: "refused by the server: \(result.rejection?.message ?? "no reason given")"))
                        }
                    }
                }
                done += batch.count
                context.terminal.progress("Imported \(done)/\(rows.count) customers…")
            }
            context.terminal.endProgress()
        }
    }
}

/// What an import did, for people and for `-o json`.
struct ImportReport: Sendable {
    var rows: Int
    var problems: [CustomerImport.Problem]
    var created = 0
    var existing = 0

    init(rows: Int, problems: [CustomerImport.Problem]) {
        self.rows = rows
        self.problems = problems
    }

    struct Summary: Encodable, Sendable {
        var dryRun: Bool
        var rows: Int
        var valid: Int
        var created: Int
        var alreadyPresent: Int
        var failed: Int
        var problems: [CustomerImport.Problem]
    }

    func summary(dryRun: Bool, valid: Int) -> Summary {
        Summary(
            dryRun: dryRun, rows: rows, valid: valid, created: created, alreadyPresent: existing,
            failed: Set(problems.map(\.line)).count, problems: problems)
    }

    func text(dryRun: Bool, valid: Int) -> String {
        var lines: [String] = []
        if dryRun {
            lines.append("Dry run: \(rows) row(s) read, \(valid) valid, \(rows - valid) with problems; nothing was sent.")
        } else {
            lines.append(
                "Imported: \(created) created, \(existing) already present (from an earlier run), \(Set(problems.map(\.line)).count) failed, of \(rows) row(s).")
        }
        for problem in problems {
            lines.append("  line \(problem.line)\(problem.field.map { ", \($0)" } ?? ""): \(problem.message)")
        }
        return lines.joined(separator: "\n")
    }
}

/// `POST /v1/admin/customers/{id}/reassign` body (intended shape, as offboarding's).
struct ReassignBody: Codable, Sendable {
    var reassignTo: String?
    var reassignTeam: String?
}
