import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportSyncServer
import RapportTesting
import Testing

/// `rapport-admin customer export` end to end: one administrator requests, a second approves
/// from their own session, the first downloads once as CSV into a 0600 file.
@Suite("rapport-admin customer export (process)")
struct CustomerExportProcessTests {
    @Test func requestApproveDownloadOnce() async throws {
        try await withAdminServer { server, cli in
            let ana = try await server.addStaff("Ana Lima", login: "ana.lima")
            try await server.addStaff("Li Na", login: "li.na", roles: [.admin])
            var names: [String] = []
            for number in 0..<3 {
                let customer = Customer(
                    kind: .individual, name: "Kunde, \"\(number)\"", sourceChannel: .referral, ownerId: ana.id,
                    teamId: ana.teamId, tags: ["vip", "north"], createdAt: Date(),
                    individual: IndividualProfile(phones: ["1390000000\(number)"]))
                names.append(customer.name)
                try await server.services.sync.serverWrite(
                    RecordKey(.customer, customer.id), fields: try customer.fieldMap().filter { !$0.value.isNull })
            }
            let second = try AdminCLI()
            defer { second.remove() }
            #expect(try await cli.login(server).status == 0)
            #expect(try await second.login(server, login: "li.na", password: "correct horse battery").status == 0)

            let requested = try await cli.run(["customer", "export", "request", "--reason", "archive", "--json"])
            #expect(requested.status == 0, "\(requested)")
            let id = try #require((requested.json as? [String: Any])?["id"] as? String, "\(requested)")
            let file = cli.home.path("customers.csv")
            let early = try await cli.run(["customer", "export", "download", id, "--file", cli.home.path("early.csv")])
            #expect(early.status == 1 && early.stderr.contains("second administrator"), "\(early)")
            #expect(!FileManager.default.fileExists(atPath: cli.home.path("early.csv")), "a refused download leaves no file")
            let selfApproval = try await cli.run(["customer", "export", "approve", id, "--yes"])
            #expect(selfApproval.status == 1, "\(selfApproval)")

            let list = try await second.run(["customer", "export", "list"])
            #expect(list.status == 0 && list.stdout.contains(id) && list.stdout.contains("pending"), "\(list)")
            let approve = try await second.run(["customer", "export", "approve", id, "--yes"])
            #expect(approve.status == 0 && approve.stdout.contains("Approved export"), "\(approve)")

            let download = try await cli.run(["customer", "export", "download", id, "--file", file])
            #expect(download.status == 0, "\(download)")
            let csv = try String(contentsOfFile: file, encoding: .utf8)
            let rows = csv.split(separator: "\r\n")
            #expect(rows.count == 4, "\(csv)")
            #expect(rows.first?.hasPrefix("id,name,code") == true, "\(csv)")
            #expect(csv.contains("\"Kunde, \"\"0\"\"\""), "quoted as RFC 4180: \(csv)")
            #expect(csv.contains("north;vip") || csv.contains("vip;north"), "\(csv)")
            let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
            #expect(mode == 0o600)

            let again = try await cli.run(["customer", "export", "download", id, "--format", "jsonl"])
            #expect(again.status == 1 && again.stderr.contains("already downloaded"), "\(again)")
            let audit = try await cli.run(["audit", "search", "--action", "export", "--json"])
            let entries = try #require(audit.json as? [[String: Any]], "\(audit)")
            #expect(entries.count == 1 && (entries.first?["reason"] as? String)?.contains("3 customers") == true, "\(audit)")
        }
    }
}
