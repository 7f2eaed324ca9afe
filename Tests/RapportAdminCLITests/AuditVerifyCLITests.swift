import Foundation
import RapportAccess
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

@Suite("rapport-admin audit verify: a cut log is reported with the missing entries")
struct AuditVerifyCLITests {
    @Test func verifyNamesTheMissingRangeAndExits1() async throws {
        try await withAdminServer { server, cli in
            #expect(try await cli.login(server).status == 0)
            let audit = server.services.audit
            try await audit.checkpointNow()
            let head = try #require(try await audit.entries(after: 0, limit: 5_000).last)
            // An anchor vouching for ten entries beyond what the database holds: exactly what a
            // cut of the newest ten entries and their checkpoint leaves behind.
            let key = try audit.keyFile.loadOrCreate()
            let anchor = AuditCheckpoint.seal(
                sequence: head.sequence + 10, entryHash: Array(repeating: 7, count: 32), timestampMilliseconds: 1,
                key: key)
            try AuditAnchorFile(path: server.services.configuration.auditAnchorPath).append(anchor)

            let verify = try await cli.run(["audit", "verify"])
            #expect(verify.status == 1, "\(verify)")
            #expect(
                verify.stdout.contains("Missing entries") && verify.stdout.contains("\(head.sequence + 1)–"),
                "\(verify)")
            // Each verification is itself audited, so the log has grown by one since.
            let json = try await cli.run(["audit", "verify", "--json"])
            let missing = (json.json as? [String: Any])?["missing"] as? [[String: Any]]
            #expect(missing?.first?["last"] as? Int == Int(head.sequence) + 10, "\(json)")
            #expect(json.status == 1)
        }
    }
}
