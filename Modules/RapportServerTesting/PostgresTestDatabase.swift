import Foundation
import Logging
import RapportServer

/// A fresh PostgreSQL schema per test, in the database `RAPPORT_TEST_POSTGRES_URL` names
/// (`.ci/run` starts one; without it the PostgreSQL tests are skipped with that reason).
///
/// ```swift
/// @Test(.enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
/// func works() async throws {
///     let database = try await PostgresTestDatabase()
///     let storage = try await database.storage()
///     defer { storage.shutdown() }
///     …
///     try await database.drop()
/// }
/// ```
public struct PostgresTestDatabase: Sendable {
    /// The environment variable naming the test database.
    public static let environmentVariable = "RAPPORT_TEST_POSTGRES_URL"
    /// The test database's URL, or `nil`.
    public static var baseURL: String? {
        ProcessInfo.processInfo.environment[environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
    }
    /// Whether PostgreSQL tests can run.
    public static var isConfigured: Bool { baseURL != nil }
    /// Why they are skipped otherwise.
    public static let skipReason =
        "PostgreSQL tests need RAPPORT_TEST_POSTGRES_URL=postgres://USER@127.0.0.1:PORT/DB (.ci/run sets it)"

    /// The schema this test owns.
    public let schema: String
    /// The URL selecting that schema (what `--database` takes).
    public let url: String

    /// Creates a fresh schema.
    public init() async throws {
        guard let base = Self.baseURL else {
            throw ServerError(.invalidConfiguration, "\(Self.environmentVariable) is not set")
        }
        schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)
        try await PostgresServerStorage.manageSchema(schema, create: true, at: base)
        url = base + (base.contains("?") ? "&" : "?") + "schema=\(schema)"
    }

    /// A storage on the schema (migrated); call `shutdown()` when done.
    public func storage(poolSize: Int = 16) async throws -> PostgresServerStorage {
        try await PostgresServerStorage(url: url, poolSize: poolSize, logger: Logger(label: "test.postgres"))
    }

    /// Drops the schema and everything in it.
    public func drop() async throws {
        guard let base = Self.baseURL else { return }
        try await PostgresServerStorage.manageSchema(schema, create: false, at: base)
    }
}
