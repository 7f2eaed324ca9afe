import Foundation
import GRDB
import RapportModels

extension EncryptedStore {
    /// The record with this id, or `nil`.
    public func document(id: UUID) async throws -> RecordDocument? {
        try await read { db in try Self.fetchDocument(id: id, in: db) }
    }

    /// The records with these ids, in the order given (missing ids are skipped); one read
    /// transaction for all of them.
    public func documents(ids: [UUID]) async throws -> [RecordDocument] {
        try await read { db in
            var result: [RecordDocument] = []
            result.reserveCapacity(ids.count)
            for id in ids {
                if let document = try Self.fetchDocument(id: id, in: db) { result.append(document) }
            }
            return result
        }
    }

    /// The entity with this id, or `nil` (also `nil` for a local tombstone).
    public func entity<E: Entity>(_ type: E.Type, id: UUID) async throws -> E? {
        guard let document = try await document(id: id), !document.isDeleted else { return nil }
        return try document.decode(as: E.self)
    }

    /// The records matching `query`.
    public func records(_ query: RecordQuery) async throws -> [RecordDocument] {
        try await read { db in try Self.fetch(query, in: db) }
    }

    /// The entities matching `query` (whose kind must be `E`'s).
    public func entities<E: Entity>(_ type: E.Type, _ query: RecordQuery) async throws -> [E] {
        try await records(query).map { try $0.decode(as: E.self) }
    }

    /// The number of records matching `query`.
    public func count(_ query: RecordQuery) async throws -> Int {
        try await read { db in try Self.request(query).fetchCount(db) }
    }

    /// Full-text search over names, companies, contact details and notes; every word must
    /// match (as a prefix), best matches first.
    public func search(_ text: String, kind: EntityKind? = nil, limit: Int = 50) async throws -> [RecordDocument] {
        let terms = text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map {
            "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
        }
        guard !terms.isEmpty else { return [] }
        let match = terms.joined(separator: " ")
        return try await read { db in
            var sql = """
                SELECT record.* FROM record_fts JOIN record ON record.seq = record_fts.rowid
                WHERE record_fts MATCH ? AND record.deleted = 0
                """
            var arguments: StatementArguments = [match]
            if let kind {
                sql += " AND record.kind = ?"
                arguments += [kind.rawValue]
            }
            sql += " ORDER BY rank LIMIT ?"
            arguments += [limit]
            return try RecordRow.fetchAll(db, sql: sql, arguments: arguments).map(RecordWriter.document(from:))
        }
    }

    static func fetchDocument(id: UUID, in db: Database) throws -> RecordDocument? {
        let statement = try db.cachedStatement(sql: "SELECT * FROM record WHERE id = ?")
        return try RecordRow.fetchOne(statement, arguments: [id]).map(RecordWriter.document(from:))
    }

    static func fetch(_ query: RecordQuery, in db: Database) throws -> [RecordDocument] {
        try request(query).fetchAll(db).map(RecordWriter.document(from:))
    }

    static func request(_ query: RecordQuery) -> QueryInterfaceRequest<RecordRow> {
        typealias Columns = RecordRow.Columns
        var request = RecordRow.filter(Columns.kind == query.kind.rawValue)
        if !query.includeDeleted { request = request.filter(Columns.deleted == false) }
        if let ownerId = query.ownerId { request = request.filter(Columns.ownerId == ownerId) }
        if let teamId = query.teamId { request = request.filter(Columns.teamId == teamId) }
        if let customerId = query.customerId { request = request.filter(Columns.customerId == customerId) }
        if let tier = query.tier { request = request.filter(Columns.tier == tier) }
        if let prefix = query.namePrefix, !prefix.isEmpty {
            let escaped = prefix.replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
            request = request.filter(sql: "name LIKE ? ESCAPE '\\'", arguments: [escaped + "%"])
        }
        if let since = query.updatedSince {
            request = request.filter(Columns.updatedAt >= RecordWriter.millis(since))
        }
        if let field = query.jsonField {
            request = request.filter(sql: "json_extract(document, ?) = ?", arguments: [field.path, field.value])
        }
        switch query.order {
        case .name: request = request.order(Columns.name, Columns.id)
        case .recentlyUpdated: request = request.order(Columns.updatedAt.desc, Columns.id)
        }
        if let limit = query.limit { request = request.limit(limit) }
        return request
    }
}
