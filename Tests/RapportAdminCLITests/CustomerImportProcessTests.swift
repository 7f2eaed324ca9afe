import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// `rapport-admin customer import` against a real server: the dry-run report, the import
/// through the push path, and an idempotent re-run.
@Suite("rapport-admin customer import (process)")
struct CustomerImportProcessTests {
    @Test func dryRunThenImportThenRerunCreatesNothingTwice() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            try await server.addStaff("Ana Lima", login: "ana.rep")
            let csv = cli.home.path("customers.csv")
            try """
                Customer no.,Customer,Mobile,Tags,Term
                C-1,Wang Fang,13800138000,vip;north,30
                C-2,"Chen, Bo",,,45
                C-3,,13900139000,,10
                C-4,Li Na,not a phone,,900
                C-5,Zhou Min,,,
                """.write(toFile: csv, atomically: true, encoding: .utf8)
            let arguments = [
                "customer", "import", csv, "--key", "Customer no.", "--map", "Customer=name", "--map", "Mobile=individual.phones",
                "--map", "Tags=tags", "--map", "Term=paymentTermDays", "--owner", "Ana Lima", "--set", "status=active",
                "--set", "sourceChannel=purchasedList",
            ]

            let dry = try await cli.run(arguments + ["--dry-run"])
            #expect(dry.status == 1, "\(dry)")
            #expect(dry.stdout.contains("Dry run: 5 row(s) read, 3 valid, 2 with problems; nothing was sent."), "\(dry.stdout)")
            #expect(dry.stdout.contains("line 4, name:"), "\(dry.stdout)")
            #expect(dry.stdout.contains("line 5, individual.phones:"), "\(dry.stdout)")
            #expect(dry.stdout.contains("line 5, paymentTermDays:"), "\(dry.stdout)")
            let ana = try await server.login("ana.rep").tokens.accessToken
            #expect(try await pulledCustomers(server, token: ana).isEmpty)

            let first = try await cli.run(arguments + ["-o", "json"])
            #expect(first.status == 1, "\(first)")
            let report = try #require(first.json as? [String: Any])
            #expect(report["created"] as? Int == 3, "\(report)")
            #expect(report["alreadyPresent"] as? Int == 0)
            #expect(report["failed"] as? Int == 2)
            let names = try await pulledCustomers(server, token: ana).compactMap { $0["name"] as? String }.sorted()
            #expect(names == ["Chen, Bo", "Wang Fang", "Zhou Min"])

            // The interrupted-and-restarted run: the same file again creates nothing.
            let again = try await cli.run(arguments + ["-o", "json"])
            let second = try #require(again.json as? [String: Any])
            #expect(second["created"] as? Int == 0, "\(second)")
            #expect(second["alreadyPresent"] as? Int == 3)
            #expect(try await pulledCustomers(server, token: ana).count == 3)

            let unknownColumn = try await cli.run(["customer", "import", csv, "--owner", "Ana Lima"])
            #expect(unknownColumn.status == 2 && unknownColumn.stderr.contains("'Customer no.'"), "\(unknownColumn)")
        }
    }

    /// The customers `token`'s device receives on a first pull.
    func pulledCustomers(_ server: LiveServer, token: String) async throws -> [[String: Any]] {
        let reply = try await server.post("/v1/sync/pull", PullRequest(cursor: nil), token: token)
        #expect(reply.status == 200, "\(reply.text)")
        let changes = reply.json["changes"] as? [[String: Any]] ?? []
        return changes.filter { $0["entity"] as? String == "customer" }.compactMap { $0["fields"] as? [String: Any] }
    }
}
