import Foundation
@testable import RapportServer
import RapportServerTesting
import Testing

/// `--database postgres://…`: the URL, and the typed errors at start (unreachable, a foreign
/// database, a database of a newer schema). The first two need no PostgreSQL.
@Suite("PostgreSQL storage: URL and start-up errors")
struct PostgresStorageTests {
    @Test("a postgres URL parses into host, port, user, password, database and schema")
    func urlParses() throws {
        let url = try PostgresDatabaseURL("postgres://rapport:s%40cret@db.internal:6543/crm?schema=tenant_1")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.user == "rapport")
        #expect(url.password == "s@cret")
        #expect(url.database == "crm")
        #expect(url.schema == "tenant_1")
        #expect(url.redacted == "db.internal:6543/crm?schema=tenant_1")
        let defaults = try PostgresDatabaseURL("postgresql://localhost")
        #expect(defaults.port == 5432 && defaults.user == "postgres" && defaults.database == "postgres")
    }

    @Test(
        "a malformed database URL is a configuration error naming the problem",
        arguments: [
            "mysql://db/crm", "postgres://", "postgres://db:99999/crm", "postgres://db/crm?schema=Bad-Name",
            "postgres://db/crm?sslmode=require",
        ])
    func badURL(_ text: String) throws {
        let error = try #require(throws: ServerError.self) { try PostgresDatabaseURL(text) }
        #expect(error.code == .invalidConfiguration)
        #expect(error.message.contains("postgres://USER:PASSWORD@HOST:PORT/DATABASE"))
        // The same through the configuration (flag, environment, file).
        #expect(throws: ServerError.self) {
            try ServerConfiguration.load(flags: ["database": text], environment: [:], configFile: nil)
        }
    }

    @Test("an unreachable database is `unavailable` with a retry delay, not a hang")
    func unreachable() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: ServerError.self) {
            _ = try await PostgresServerStorage(url: "postgres://rapport@127.0.0.1:1/rapport", connectTimeout: .seconds(1))
        }
        #expect(error?.code == .unavailable)
        #expect(error?.retryAfterSeconds == PostgresServerStorage.retryAfterSeconds)
        #expect(error?.message.contains("127.0.0.1:1/rapport") == true)
        #expect(ContinuousClock.now - started < .seconds(15))
    }

    @Test(
        "a database holding other tables is refused as not a Rapport database",
        .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func foreignDatabase() async throws {
        let database = try await PostgresTestDatabase()
        let storage = try await database.storage()
        try await storage.unit(.write) { sql in
            try await sql.execute("DROP TABLE rapport_schema_version")
        }
        storage.shutdown()
        let error = await #expect(throws: ServerError.self) { _ = try await database.storage() }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("not a Rapport database") == true)
        try await database.drop()
    }

    @Test(
        "a database whose schema a newer server wrote is refused",
        .enabled(if: PostgresTestDatabase.isConfigured, Comment(rawValue: PostgresTestDatabase.skipReason)))
    func newerSchema() async throws {
        let database = try await PostgresTestDatabase()
        let storage = try await database.storage()
        try await storage.unit(.write) { sql in
            try await sql.execute(
                "INSERT INTO rapport_schema_version (version, name, appliedAt) VALUES (999, 'from-the-future', 0)")
        }
        storage.shutdown()
        let error = await #expect(throws: ServerError.self) { _ = try await database.storage() }
        #expect(error?.code == .storage)
        #expect(error?.message.contains("newer Rapport server") == true)
        try await database.drop()
    }

    @Test("backup and restore refuse a PostgreSQL database and name pg_dump")
    func backupRefuses() throws {
        let error = try #require(throws: ServerError.self) {
            try SQLiteOnlyCommand.refuseOnPostgres("backup", database: "postgres://u@db/crm", environment: [:])
        }
        #expect(error.message.contains("pg_dump"))
        #expect(throws: ServerError.self) {
            try SQLiteOnlyCommand.refuseOnPostgres(
                "restore", database: nil, environment: ["RAPPORT_DATABASE": "postgres://u@db/crm"])
        }
        try SQLiteOnlyCommand.refuseOnPostgres("backup", database: nil, environment: [:])
    }
}
