import Foundation
import Logging
import PostgresNIO

/// One value bound to a statement of ``PostgresSQL``.
enum PostgresValue: Sendable {
    case text(String?)
    case int(Int64?)
    case double(Double?)
    case bytes(Data?)
    case bool(Bool?)
    case texts([String])

    static func uuid(_ id: UUID?) -> Self { .text(id?.uuidString) }
    static func date(_ date: Date?) -> Self { .double(date?.timeIntervalSince1970) }
    static func int(_ value: Int) -> Self { .int(Int64(value)) }
}

/// The statements of one unit of work on its connection: SQL written with `?` placeholders
/// (numbered `$1…` here, in order), values as ``PostgresValue``s, rows read by column name.
struct PostgresSQL: Sendable {
    let connection: PostgresConnection
    let logger: Logger

    /// Runs a statement and returns its rows.
    @discardableResult
    func rows(_ sql: String, _ values: [PostgresValue] = []) async throws -> [PGRow] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .text(let text): bindings.append(text)
            case .int(let int): bindings.append(int)
            case .double(let double): bindings.append(double)
            case .bytes(let data): try bindings.append(data)
            case .bool(let bool): bindings.append(bool)
            case .texts(let texts): bindings.append(texts)
            }
        }
        let query = PostgresQuery(unsafeSQL: Self.numbered(sql), binds: bindings)
        var result: [PGRow] = []
        for try await row in try await connection.query(query, logger: logger) {
            result.append(PGRow(row.makeRandomAccess()))
        }
        return result
    }

    /// Runs a statement, ignoring any rows.
    func execute(_ sql: String, _ values: [PostgresValue] = []) async throws {
        try await rows(sql, values)
    }

    /// The first row, or `nil`.
    func one(_ sql: String, _ values: [PostgresValue] = []) async throws -> PGRow? {
        try await rows(sql, values).first
    }

    /// `?` → `$1`, `$2`, … (the statements here hold no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.count + 16)
        var index = 0
        for character in sql {
            if character == "?" {
                index += 1
                out += "$\(index)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// One row, read by column name (PostgreSQL folds unquoted names to lower case; so does this).
struct PGRow: Sendable {
    private let row: PostgresRandomAccessRow
    init(_ row: PostgresRandomAccessRow) { self.row = row }

    private func cell<T: PostgresDecodable>(_ column: String, _ type: T.Type) throws -> T {
        try row[column.lowercased()].decode(T.self)
    }

    func text(_ column: String) throws -> String { try cell(column, String.self) }
    func optionalText(_ column: String) throws -> String? { try cell(column, String?.self) }
    func int64(_ column: String) throws -> Int64 { try cell(column, Int64.self) }
    func optionalInt64(_ column: String) throws -> Int64? { try cell(column, Int64?.self) }
    func int(_ column: String) throws -> Int { Int(try int64(column)) }
    func double(_ column: String) throws -> Double { try cell(column, Double.self) }
    func optionalDouble(_ column: String) throws -> Double? { try cell(column, Double?.self) }
    func bool(_ column: String) throws -> Bool { try cell(column, Bool.self) }
    func bytes(_ column: String) throws -> [UInt8] { Array(try cell(column, Data.self)) }
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try double(column)) }
    func optionalDate(_ column: String) throws -> Date? {
        try optionalDouble(column).map(Date.init(timeIntervalSince1970:))
    }
    func uuid(_ column: String) throws -> UUID { try SQLiteServerStorage.uuid(try text(column)) }
    func optionalUUID(_ column: String) throws -> UUID? { try optionalText(column).map(SQLiteServerStorage.uuid) }
}
