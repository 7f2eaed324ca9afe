import Foundation
import RapportCrypto
import RapportModels
import RapportProtocol

/// Turns the rows of a CSV or JSON Lines file into customer creates, the first thing an
/// organisation does with a CRM. Pure: no I/O, so the validation report of `--dry-run` and
/// the real import see exactly the same rows.
///
/// - Columns map to field paths (`Docs/Models.md`) by `--map 'Column=path'`, a mapping file,
///   or by being named as the path already (`name`, `individual.phones`).
/// - Values are converted by the field's type: numbers, money (`12.50` → 1250 minor units),
///   booleans, lists split on `;`; empty cells are left out.
/// - `ownerId` and `teamId` may hold ids, login names or display names; `--owner`/`--team`
///   fill them where a row has none (the owner's team when only the owner is known).
/// - Each row's record id is derived from its key (`--key COLUMN`, else the `code` column,
///   else the row's content), and its mutation id from the record id, so running the same
///   file again creates nothing twice: the server answers `alreadyExists` or replays.
public struct CustomerImport: Sendable {
    /// A problem with one row.
    public struct Problem: Sendable, Hashable, Codable {
        /// The line in the file (CSV: where the record starts; JSON Lines: the line).
        public var line: Int
        /// The field path or column concerned, if one.
        public var field: String?
        /// What is wrong and what to do.
        public var message: String
    }

    /// One valid row, ready to push.
    public struct Row: Sendable, Hashable {
        /// The line in the file.
        public var line: Int
        /// The record id derived from the row's key.
        public var recordId: UUID
        /// The customer's fields (validated, normalised).
        public var fields: FieldMap

        /// The mutation id: derived from the record id, so a re-run replays.
        public var clientMutationId: UUID { CustomerImport.derivedId("mutation", recordId.uuidString) }
    }

    /// The outcome of planning: rows to push and problems found.
    public struct Plan: Sendable, Hashable {
        /// The valid rows.
        public var rows: [Row]
        /// Every problem, by line.
        public var problems: [Problem]
    }

    /// Where people and teams are looked up: name, login name or id (lower-cased) → id.
    public struct Directory: Sendable {
        /// Staff: key → (id, team id).
        public var staff: [String: (id: UUID, teamId: UUID)]
        /// Teams: key → id.
        public var teams: [String: UUID]

        /// Creates a directory.
        public init(staff: [String: (id: UUID, teamId: UUID)], teams: [String: UUID]) {
            self.staff = staff
            self.teams = teams
        }
    }

    /// Column (or JSON key) → field path.
    public var mapping: [String: String]
    /// Columns to skip.
    public var ignored: Set<String>
    /// The column whose value identifies a row across runs, if given.
    public var keyColumn: String?
    /// Default owner (name or id), for rows without `ownerId`.
    public var defaultOwner: String?
    /// Default team, for rows without `teamId` (else the owner's team).
    public var defaultTeam: String?
    /// Separator of list values in a CSV cell.
    public var listSeparator: Character
    /// Values for fields a row leaves empty (`--set status=active`), as typed text.
    public var defaults: [String: String]

    /// Creates an importer.
    public init(
        mapping: [String: String] = [:], ignored: Set<String> = [], keyColumn: String? = nil, defaultOwner: String? = nil,
        defaultTeam: String? = nil, listSeparator: Character = ";", defaults: [String: String] = [:]
    ) {
        self.defaults = defaults
        self.mapping = mapping
        self.ignored = ignored
        self.keyColumn = keyColumn
        self.defaultOwner = defaultOwner
        self.defaultTeam = defaultTeam
        self.listSeparator = listSeparator
    }

    /// Parses `--map` arguments (`Column=path`) and a mapping file's JSON object into one mapping.
    ///
    /// - Throws: ``AdminError/Code/usage`` for a malformed entry or a path that is no customer field.
    public static func mapping(arguments: [String], file: Data?) throws(AdminError) -> [String: String] {
        var mapping: [String: String] = [:]
        if let file {
            guard let object = try? JSONSerialization.jsonObject(with: file) as? [String: String] else {
                throw AdminError(.usage, "the mapping file must be a JSON object of \"Column\": \"field.path\" pairs")
            }
            mapping = object
        }
        for argument in arguments {
            guard let equals = argument.lastIndex(of: "=") else {
                throw AdminError(.usage, "--map '\(argument)' must be COLUMN=FIELD, e.g. --map 'Mobile=individual.phones'")
            }
            let column = argument[..<equals].trimmingCharacters(in: .whitespaces)
            let path = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard !column.isEmpty, !path.isEmpty else {
                throw AdminError(.usage, "--map '\(argument)' must be COLUMN=FIELD, e.g. --map 'Mobile=individual.phones'")
            }
            mapping[column] = path
        }
        for (column, path) in mapping where !importable(path) {
            throw AdminError(
                .usage,
                "column '\(column)' maps to '\(path)', which is not a customer field the import can set; see the customer table in Docs/Models.md")
        }
        return mapping
    }

    /// Parses `--set FIELD=VALUE` arguments.
    ///
    /// - Throws: ``AdminError/Code/usage`` for a malformed entry or a field the import cannot set.
    public static func defaults(arguments: [String]) throws(AdminError) -> [String: String] {
        var defaults: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                throw AdminError(.usage, "--set '\(argument)' must be FIELD=VALUE, e.g. --set status=active")
            }
            let path = argument[..<equals].trimmingCharacters(in: .whitespaces)
            guard importable(path), !["ownerId", "teamId"].contains(path) else {
                throw AdminError(
                    .usage,
                    "--set '\(argument)': '\(path)' is not a customer field the import can set\(["ownerId", "teamId"].contains(path) ? " this way; use --owner or --team" : "; see Docs/Models.md")")
            }
            defaults[path] = String(argument[argument.index(after: equals)...])
        }
        return defaults
    }

    /// Whether a path is a customer field an import may set (not server-only, not `id`).
    static func importable(_ path: String) -> Bool {
        guard let descriptor = FieldRegistry.descriptor(.customer, path), path != "id" else { return false }
        return descriptor.mergePolicy != .serverOnly
    }

    /// Plans a CSV table.
    public func plan(csv table: CSVReader.Table, directory: Directory) throws(AdminError) -> Plan {
        let columns = try resolveColumns(table.header)
        var plan = Plan(rows: [], problems: [])
        for record in table.records {
            var cells: [String: String] = [:]
            for (index, column) in table.header.enumerated() where index < record.fields.count {
                cells[column] = record.fields[index]
            }
            var raw: [String: RapportModels.JSONValue] = [:]
            var problems: [Problem] = []
            for (column, path) in columns {
                let text = (cells[column] ?? "").trimmingCharacters(in: .whitespaces)
                guard !text.isEmpty else { continue }
                do {
                    raw[path] = try convert(text, path: path)
                } catch {
                    problems.append(Problem(line: record.line, field: path, message: "column '\(column)': \(error.message)"))
                }
            }
            let key = keyColumn.map { (cells[$0] ?? "").trimmingCharacters(in: .whitespaces) }
            finish(line: record.line, raw: raw, key: key, problems: problems, directory: directory, into: &plan)
        }
        return plan
    }

    /// Plans JSON Lines: one JSON object per line, keys are columns (mapped like CSV columns),
    /// values already typed; a nested `individual`/`enterprise` object is flattened.
    public func plan(jsonLines text: String, directory: Directory) throws(AdminError) -> Plan {
        var plan = Plan(rows: [], problems: [])
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            guard let data = trimmed.data(using: .utf8),
                let object = try? RapportJSON.decoder().decode([String: RapportModels.JSONValue].self, from: data)
            else {
                plan.problems.append(Problem(line: lineNumber, field: nil, message: "not a JSON object"))
                continue
            }
            var flat: [String: RapportModels.JSONValue] = [:]
            for (key, value) in object {
                if case .object(let nested) = value, FieldRegistry.groups(of: .customer).contains(key) {
                    for (inner, innerValue) in nested { flat["\(key).\(inner)"] = innerValue }
                } else {
                    flat[key] = value
                }
            }
            var raw: [String: RapportModels.JSONValue] = [:]
            var problems: [Problem] = []
            for (key, value) in flat where !ignored.contains(key) && key != keyColumn {
                let path = mapping[key] ?? key
                guard Self.importable(path) else {
                    problems.append(
                        Problem(
                            line: lineNumber, field: key,
                            message: "'\(key)' is not a customer field the import can set; map it with --map '\(key)=field' or skip it with --ignore '\(key)'"))
                    continue
                }
                if case .string(let text) = value, Self.needsConversion(path) {
                    do {
                        raw[path] = try convert(text, path: path)
                    } catch {
                        problems.append(Problem(line: lineNumber, field: path, message: error.message))
                    }
                } else if value != .null {
                    raw[path] = value
                }
            }
            let key = keyColumn.flatMap { flat[$0] }.map { value -> String in
                if case .string(let text) = value { return text }
                return (try? String(decoding: RapportJSON.encoder().encode(value), as: UTF8.self)) ?? ""
            }
            finish(line: lineNumber, raw: raw, key: key, problems: problems, directory: directory, into: &plan)
        }
        return plan
    }

    // MARK: - Rows

    private func resolveColumns(_ header: [String]) throws(AdminError) -> [(String, String)] {
        var columns: [(String, String)] = []
        var unknown: [String] = []
        for column in header where !ignored.contains(column) && column != keyColumn {
            if let path = mapping[column] {
                columns.append((column, path))
            } else if Self.importable(column) {
                columns.append((column, column))
            } else {
                unknown.append(column)
            }
        }
        if let keyColumn, !header.contains(keyColumn) {
            throw AdminError(.usage, "--key '\(keyColumn)' names no column of the file (columns: \(header.joined(separator: ", ")))")
        }
        for column in mapping.keys where !header.contains(column) {
            throw AdminError(.usage, "--map names the column '\(column)', which the file does not have (columns: \(header.joined(separator: ", ")))")
        }
        guard unknown.isEmpty else {
            throw AdminError(
                .usage,
                "the column\(unknown.count == 1 ? "" : "s") \(unknown.map { "'\($0)'" }.joined(separator: ", ")) map\(unknown.count == 1 ? "s" : "") to no customer field; add --map 'COLUMN=field.path' (fields: Docs/Models.md) or --ignore COLUMN"
            )
        }
        return columns
    }

    private func finish(
        line: Int, raw: [String: RapportModels.JSONValue], key: String?, problems: [Problem], directory: Directory,
        into plan: inout Plan
    ) {
        var problems = problems
        var fields = raw
        for (path, text) in defaults where fields[path] == nil {
            do {
                fields[path] = try convert(text, path: path)
            } catch {
                problems.append(Problem(line: line, field: path, message: "--set \(path): \(error.message)"))
            }
        }
        resolvePeople(&fields, line: line, directory: directory, problems: &problems)
        if fields["kind"] == nil {
            let groups = Set(fields.keys.compactMap { $0.split(separator: ".").first.map(String.init) })
            fields["kind"] = .string(groups.contains("enterprise") ? "enterprise" : "individual")
        }
        // Collections and counters start empty, as a new customer made on a phone does.
        let kindGroup = fields["kind"].flatMap { value -> String? in
            if case .string(let kind) = value { return kind }
            return nil
        }
        for descriptor in FieldRegistry.fields(of: .customer) where fields[descriptor.path] == nil {
            let group = descriptor.path.split(separator: ".").count > 1 ? String(descriptor.path.split(separator: ".")[0]) : nil
            guard group == nil || group == kindGroup, descriptor.mergePolicy != .serverOnly else { continue }
            switch descriptor.valueType {
            case .stringList, .stringSet, .objectList: fields[descriptor.path] = .array([])
            case .integer where descriptor.mergePolicy == .counter: fields[descriptor.path] = .int(0)
            default: break
            }
        }
        if let key, key.isEmpty {
            problems.append(Problem(line: line, field: keyColumn, message: "the key column '\(keyColumn ?? "")' is empty"))
        }
        guard problems.isEmpty else {
            plan.problems.append(contentsOf: problems)
            return
        }
        let identity = key.map { "key:" + $0 } ?? fields["code"].flatMap { value -> String? in
            if case .string(let code) = value { return "code:" + code }
            return nil
        } ?? "row:" + Self.canonical(fields)
        let recordId = Self.derivedId("customer", identity)
        fields["id"] = .string(recordId.uuidString)
        // Validate as the server will: with its stamps in place (it adds them on create).
        var stamped = fields
        let now = RapportModels.JSONValue.string(RapportJSON.string(from: Date()))
        stamped["version"] = .int(1)
        stamped["createdAt"] = now
        stamped["updatedAt"] = now
        stamped["createdBy"] = fields["ownerId"] ?? .null
        stamped["updatedBy"] = fields["ownerId"] ?? .null
        // Validation stops at the first bad field; to name every bad field of the row, drop
        // each one found and validate again.
        var found: [Problem] = []
        for _ in 0..<32 {
            do {
                let validated = try EntityFields.validated(.customer, from: stamped)
                guard found.isEmpty else { break }
                var normalised = validated.fields
                for path in normalised.keys
                where FieldRegistry.descriptor(.customer, path)?.mergePolicy == .serverOnly {
                    normalised[path] = nil
                }
                plan.rows.append(Row(line: line, recordId: recordId, fields: normalised.filter { $0.value != .null }))
                return
            } catch let error as RapportModels.ValidationError {
                let hint =
                    error.rule == .required
                    ? " (map a column to it, or give every row a value with --set \(error.field)=VALUE)" : ""
                found.append(Problem(line: line, field: error.field, message: error.message + hint))
                guard error.rule != .required, stamped[error.field] != nil,
                    found.filter({ $0.field == error.field }).count == 1
                else { break }
                switch FieldRegistry.descriptor(.customer, error.field)?.valueType {
                case .stringList?, .stringSet?, .objectList?: stamped[error.field] = .array([])
                default: stamped[error.field] = nil
                }
            } catch {
                found.append(Problem(line: line, field: nil, message: "\(error)"))
                break
            }
        }
        plan.problems.append(contentsOf: found)
    }

    private func resolvePeople(
        _ fields: inout [String: RapportModels.JSONValue], line: Int, directory: Directory, problems: inout [Problem]
    ) {
        func text(_ path: String) -> String? {
            if case .string(let value)? = fields[path] { return value }
            return nil
        }
        var ownerTeam: UUID?
        if let owner = text("ownerId") ?? defaultOwner {
            if let found = directory.staff[owner.lowercased()] {
                fields["ownerId"] = .string(found.id.uuidString)
                ownerTeam = found.teamId
            } else {
                problems.append(
                    Problem(line: line, field: "ownerId", message: "no member of staff is called '\(owner)' (name or id)"))
            }
        } else {
            problems.append(Problem(line: line, field: "ownerId", message: "no owner; add an owner column or pass --owner"))
        }
        if let team = text("teamId") ?? defaultTeam {
            if let found = directory.teams[team.lowercased()] {
                fields["teamId"] = .string(found.uuidString)
            } else {
                problems.append(Problem(line: line, field: "teamId", message: "no team is called '\(team)' (name or id)"))
            }
        } else if let ownerTeam {
            fields["teamId"] = .string(ownerTeam.uuidString)
        }
        if let manager = text("accountManagerId") {
            if let found = directory.staff[manager.lowercased()] {
                fields["accountManagerId"] = .string(found.id.uuidString)
            } else {
                problems.append(Problem(line: line, field: "accountManagerId", message: "no member of staff is called '\(manager)'"))
            }
        }
    }

    static func needsConversion(_ path: String) -> Bool {
        switch FieldRegistry.descriptor(.customer, path)?.valueType {
        case .integer, .money, .number, .bool, .stringList, .stringSet, .integerEnumeration: true
        default: false
        }
    }

    /// Converts a cell to the field's JSON type.
    func convert(_ text: String, path: String) throws(AdminError) -> RapportModels.JSONValue {
        guard let descriptor = FieldRegistry.descriptor(.customer, path) else {
            throw AdminError(.usage, "'\(path)' is not a customer field")
        }
        switch descriptor.valueType {
        case .integer, .integerEnumeration:
            guard let value = Int64(text) else { throw AdminError(.usage, "'\(text)' is not a whole number") }
            return .int(value)
        case .money:
            return .int(try Self.minorUnits(text))
        case .number:
            guard let value = Double(text), value.isFinite else { throw AdminError(.usage, "'\(text)' is not a number") }
            return .double(value)
        case .bool:
            switch text.lowercased() {
            case "true", "yes", "y", "1": return .bool(true)
            case "false", "no", "n", "0": return .bool(false)
            default: throw AdminError(.usage, "'\(text)' is not true or false")
            }
        case .stringList, .stringSet:
            return .array(
                text.split(separator: listSeparator).map { .string($0.trimmingCharacters(in: .whitespaces)) }
                    .filter { $0 != .string("") })
        case .objectList, .json:
            guard let data = text.data(using: .utf8),
                let value = try? RapportJSON.decoder().decode(RapportModels.JSONValue.self, from: data)
            else {
                throw AdminError(.usage, "'\(path)' needs JSON in the cell")
            }
            return value
        default:
            return .string(text)
        }
    }

    /// `12.50` → 1250, `1,234.5` → 123450, `7` → 700; at most two decimals, not negative.
    static func minorUnits(_ text: String) throws(AdminError) -> Int64 {
        let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: " ", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = Int64(parts[0]), whole >= 0,
            parts.count == 1 || (parts[1].count <= 2 && parts[1].allSatisfy(\.isNumber) && !parts[1].isEmpty)
        else {
            throw AdminError(.usage, "'\(text)' is not an amount like 1250 or 12.50")
        }
        var fraction: Int64 = 0
        if parts.count == 2 {
            fraction = Int64(parts[1])! * (parts[1].count == 1 ? 10 : 1)
        }
        let (product, overflow) = whole.multipliedReportingOverflow(by: 100)
        guard !overflow else { throw AdminError(.usage, "'\(text)' is too large") }
        return product + fraction
    }

    /// A UUID derived from `text` under a namespace (SHA-256, version nibble 8: "custom").
    static func derivedId(_ namespace: String, _ text: String) -> UUID {
        var bytes = SHA256.hash(Array("rapport-import/\(namespace)/\(text)".utf8))
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10],
                bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// A stable text of a row's fields (sorted keys), for rows without a key.
    static func canonical(_ fields: [String: RapportModels.JSONValue]) -> String {
        (try? String(decoding: RapportJSON.encoder().encode(fields), as: UTF8.self)) ?? ""
    }
}
