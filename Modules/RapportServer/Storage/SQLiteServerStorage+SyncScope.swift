import Foundation
import GRDB
import RapportAccess
import RapportModels
import RapportSyncServer

extension SQLiteServerStorage {
    /// Runs each distinct predicate as one indexed query over `syncCustomer` (joined to
    /// `syncRecord` for child kinds); see ``sql(_:arguments:)`` for the translation.
    public func visibleRecords(_ predicates: [EntityKind: ScopePredicate]) async throws -> Set<RecordKey> {
        var byPredicate: [ScopePredicate: [EntityKind]] = [:]
        for (kind, predicate) in predicates {
            let simplified = predicate.simplified()
            if simplified != .none { byPredicate[simplified, default: []].append(kind) }
        }
        if byPredicate.isEmpty { return [] }
        let groups = byPredicate
        return try await syncRun("listing the records in scope") {
            try await self.unit(.read) { db in
                var result: Set<RecordKey> = []
                for (predicate, kinds) in groups {
                    var arguments: [any DatabaseValueConvertible] = []
                    let condition = Self.sql(predicate, arguments: &arguments)
                    if kinds.contains(.customer) {
                        for id in try String.fetchAll(
                            db, sql: "SELECT c.id FROM syncCustomer c WHERE \(condition)",
                            arguments: StatementArguments(arguments))
                        {
                            result.insert(RecordKey(.customer, try Self.uuid(id)))
                        }
                    }
                    let children = kinds.filter { $0 != .customer }.map(\.rawValue)
                    if !children.isEmpty {
                        let marks = Array(repeating: "?", count: children.count).joined(separator: ", ")
                        let rows = try Row.fetchAll(
                            db,
                            sql: """
                                SELECT r.kind, r.id FROM syncCustomer c
                                JOIN syncRecord r ON r.customerId = c.id AND r.deleted = 0
                                WHERE r.kind IN (\(marks)) AND (\(condition))
                                """,
                            arguments: StatementArguments(children + arguments))
                        for row in rows { result.insert(try Self.key(row["kind"], row["id"])) }
                    }
                }
                return result
            }
        }
    }

    /// Every live record of `kinds`, from `syncRecord` (not the change log, which is purged).
    public func liveRecords(of kinds: Set<EntityKind>) async throws -> [StoredRecord] {
        if kinds.isEmpty { return [] }
        let names = kinds.map(\.rawValue).sorted()
        return try await syncRun("listing records") {
            try await self.unit(.read) { db in
                let marks = Array(repeating: "?", count: names.count).joined(separator: ", ")
                return try Row.fetchAll(
                    db, sql: "SELECT * FROM syncRecord WHERE deleted = 0 AND kind IN (\(marks)) ORDER BY kind, id",
                    arguments: StatementArguments(names)
                ).map(Self.storedRecord)
            }
        }
    }

    /// The facts of a live customer: its row in `syncCustomer`, its tags, its open complaints'
    /// assignees.
    public func customerFacts(_ customerId: UUID) async throws -> CustomerAccessFacts? {
        try await syncRun("reading customer facts") {
            try await self.unit(.read) { db in
                let id = customerId.uuidString
                guard let row = try Row.fetchOne(db, sql: "SELECT * FROM syncCustomer WHERE id = ?", arguments: [id])
                else { return nil }
                let tags = try String.fetchAll(
                    db, sql: "SELECT tag FROM syncCustomerTag WHERE customerId = ?", arguments: [id])
                let assignees = try String.fetchAll(
                    db, sql: "SELECT DISTINCT assigneeId FROM syncOpenComplaint WHERE customerId = ? ORDER BY assigneeId",
                    arguments: [id])
                return CustomerAccessFacts(
                    id: customerId, ownerId: try Self.uuid(row["ownerId"]),
                    teamId: try (row["teamId"] as String?).flatMap { $0.isEmpty ? nil : try Self.uuid($0) },
                    tier: (row["tier"] as String?).flatMap(ValueTier.init(rawValue:)),
                    accountManagerId: try (row["accountManagerId"] as String?).map(Self.uuid), tags: Set(tags),
                    openComplaintAssignees: try assignees.map(Self.uuid))
            }
        }
    }

    /// The facts of every live customer among `customerIds`, in one read transaction.
    public func customerFacts(_ customerIds: [UUID]) async throws -> [UUID: CustomerAccessFacts] {
        if customerIds.isEmpty { return [:] }
        return try await syncRun("reading customer facts") {
            try await self.unit(.read) { db in
                var result: [UUID: CustomerAccessFacts] = [:]
                for chunk in stride(from: 0, to: customerIds.count, by: 500).map({
                    Array(customerIds[$0..<min($0 + 500, customerIds.count)])
                }) {
                    let ids = chunk.map(\.uuidString)
                    let marks = databaseQuestionMarks(count: ids.count)
                    var tags: [String: Set<String>] = [:]
                    for row in try Row.fetchAll(
                        db, sql: "SELECT customerId, tag FROM syncCustomerTag WHERE customerId IN (\(marks))",
                        arguments: StatementArguments(ids))
                    {
                        tags[row["customerId"], default: []].insert(row["tag"])
                    }
                    var assignees: [String: [UUID]] = [:]
                    for row in try Row.fetchAll(
                        db,
                        sql: "SELECT DISTINCT customerId, assigneeId FROM syncOpenComplaint WHERE customerId IN (\(marks)) ORDER BY assigneeId",
                        arguments: StatementArguments(ids))
                    {
                        assignees[row["customerId"], default: []].append(try Self.uuid(row["assigneeId"]))
                    }
                    for row in try Row.fetchAll(
                        db, sql: "SELECT * FROM syncCustomer WHERE id IN (\(marks))", arguments: StatementArguments(ids))
                    {
                        let text: String = row["id"]
                        let id = try Self.uuid(text)
                        result[id] = CustomerAccessFacts(
                            id: id, ownerId: try Self.uuid(row["ownerId"]),
                            teamId: try (row["teamId"] as String?).flatMap { $0.isEmpty ? nil : try Self.uuid($0) },
                            tier: (row["tier"] as String?).flatMap(ValueTier.init(rawValue:)),
                            accountManagerId: try (row["accountManagerId"] as String?).map(Self.uuid),
                            tags: tags[text] ?? [], openComplaintAssignees: assignees[text] ?? [])
                    }
                }
                return result
            }
        }
    }

    /// The customer of each record (customers map to themselves).
    public func customerIds(of keys: [RecordKey]) async throws -> [RecordKey: UUID] {
        var result: [RecordKey: UUID] = [:]
        var children: [RecordKey] = []
        for key in keys {
            if key.kind == .customer { result[key] = key.id } else { children.append(key) }
        }
        if children.isEmpty { return result }
        let lookup = children
        var ids: [EntityKind: [String]] = [:]
        for key in Set(lookup) { ids[key.kind, default: []].append(key.id.uuidString) }
        let byKind = ids
        let found = try await syncRun("reading record owners") {
            try await self.unit(.read) { db in
                var found: [RecordKey: UUID] = [:]
                for (kind, ids) in byKind {
                    for start in stride(from: 0, to: ids.count, by: Self.idsPerQuery) {
                        let chunk = ids[start..<min(start + Self.idsPerQuery, ids.count)]
                        let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                        let rows = try Row.fetchCursor(
                            db,
                            sql: "SELECT id, customerId FROM syncRecord WHERE kind = ? AND id IN (\(marks))",
                            arguments: StatementArguments([kind.rawValue] + Array(chunk)))
                        while let row = try rows.next() {
                            guard let customer = (row["customerId"] as String?).flatMap(Self.parseUUID),
                                let id = Self.parseUUID(row["id"])
                            else { continue }
                            found[RecordKey(kind, id)] = customer
                        }
                    }
                }
                return found
            }
        }
        result.merge(found) { old, _ in old }
        return result
    }

    /// The organisation version (bumped by triggers on team, staff, role, grant and device writes).
    public func organisationVersion() async throws -> Int64 {
        try await syncRun("reading the organisation version") {
            try await self.unit(.read) { db in
                try Int64.fetchOne(db, sql: "SELECT value FROM syncState WHERE key = 'organisationVersion'") ?? 0
            }
        }
    }

    /// Of `customers`, those counted for the person on `day`.
    public func quotaCustomers(staffId: UUID, day: Int, among customers: [UUID]) async throws -> Set<UUID> {
        if customers.isEmpty { return [] }
        let ids = Array(Set(customers.map(\.uuidString)))
        return try await syncRun("reading the quota count") {
            try await self.unit(.read) { db in
                var found: Set<UUID> = []
                for start in stride(from: 0, to: ids.count, by: Self.idsPerQuery) {
                    let chunk = Array(ids[start..<min(start + Self.idsPerQuery, ids.count)])
                    for id in try String.fetchAll(
                        db,
                        sql: """
                            SELECT customerId FROM syncQuotaCustomer
                            WHERE staffId = ? AND day = ? AND customerId IN (\(databaseQuestionMarks(count: chunk.count)))
                            """,
                        arguments: StatementArguments([staffId.uuidString, day] as [any DatabaseValueConvertible] + chunk))
                    {
                        found.insert(try Self.uuid(id))
                    }
                }
                return found
            }
        }
    }

    /// How many customers were counted for the person on `day`.
    public func quotaCustomerCount(staffId: UUID, day: Int) async throws -> Int {
        try await syncRun("reading the quota count") {
            try await self.unit(.read) { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM syncQuotaCustomer WHERE staffId = ? AND day = ?",
                    arguments: [staffId.uuidString, day]) ?? 0
            }
        }
    }

    /// Inserts the missing (staff, day, customer) rows and drops the person's older days.
    public func addQuotaCustomers(_ customers: [UUID], staffId: UUID, day: Int) async throws {
        let staff = staffId.uuidString
        try await syncRun("counting against the quota") {
            try await self.unit(.write) { db in
                try db.execute(
                    sql: "DELETE FROM syncQuotaCustomer WHERE staffId = ? AND day < ?", arguments: [staff, day - 1])
                let insert = try db.makeStatement(
                    sql: "INSERT INTO syncQuotaCustomer (staffId, day, customerId) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
                for customer in customers { try insert.execute(arguments: [staff, day, customer.uuidString]) }
            }
        }
    }

    /// Translates a scope predicate into a condition over `syncCustomer c` (the SQL shapes of
    /// `Docs/Security.md`, "Scope as a query"), appending its parameters to `arguments`.
    ///
    /// `syncCustomer` stores a missing team or tier as `''` rather than `NULL`, so `NOT (…)`
    /// keeps two-valued logic (`ScopePredicate.matches` semantics) and the indexes stay usable.
    static func sql(_ predicate: ScopePredicate, arguments: inout [any DatabaseValueConvertible]) -> String {
        func list(_ column: String, _ values: [String]) -> String {
            if values.isEmpty { return "0" }
            arguments.append(contentsOf: values as [any DatabaseValueConvertible])
            return "\(column) IN (\(Array(repeating: "?", count: values.count).joined(separator: ", ")))"
        }
        switch predicate {
        case .all: return "1"
        case .none: return "0"
        case .ownerIn(let ids): return list("c.ownerId", ids.map(\.uuidString))
        case .teamIn(let ids): return list("c.teamId", ids.map(\.uuidString))
        case .customerIdIn(let ids): return list("c.id", ids.map(\.uuidString))
        case .keyAnchorIn(let ids): return list("c.keyAnchor", ids.map(\.uuidString))
        case .tierIn(let tiers): return list("c.tier", tiers.map(\.rawValue))
        case .hasTag(let tag):
            arguments.append(tag)
            return "EXISTS (SELECT 1 FROM syncCustomerTag t WHERE t.customerId = c.id AND t.tag = ?)"
        case .openComplaintAssignedTo(let staffId):
            arguments.append(staffId.uuidString)
            return "EXISTS (SELECT 1 FROM syncOpenComplaint o WHERE o.customerId = c.id AND o.assigneeId = ?)"
        case .and(let parts):
            if parts.isEmpty { return "1" }
            return "(" + parts.map { sql($0, arguments: &arguments) }.joined(separator: " AND ") + ")"
        case .or(let parts):
            if parts.isEmpty { return "0" }
            return "(" + parts.map { sql($0, arguments: &arguments) }.joined(separator: " OR ") + ")"
        case .not(let part):
            return "NOT (" + sql(part, arguments: &arguments) + ")"
        }
    }
}
