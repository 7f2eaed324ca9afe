import Foundation
import RapportAccess
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// People named by their login name, as Docs/Admin.md's examples do (`staff offboard ana.lima`):
/// the admin staff view carries `loginName`, and the built `rapport-admin` resolves it.
@Suite("rapport-admin names people by login name (process)")
struct LoginNameProcessTests {
    @Test func staffViewCarriesLoginNameAndTheToolResolvesIt() async throws {
        try await withAdminServer { server, cli in
            let ana = try await server.addStaff("Ana Lima", login: "ana.lima")
            let martin = try await server.addStaff("Martin Keller", login: "martin.manager", roles: [.manager])
            #expect(try await cli.login(server).status == 0)

            let list = try await cli.run(["staff", "list", "--json"])
            let items = try #require((list.json as? [String: Any])?["items"] as? [[String: Any]], "\(list)")
            let anaView = try #require(items.first { $0["id"] as? String == ana.id.uuidString })
            #expect(anaView["loginName"] as? String == "ana.lima")
            let table = try await cli.run(["staff", "list"])
            #expect(table.stdout.split(separator: "\n").first?.contains("LOGIN") == true, "\(table)")
            #expect(table.stdout.contains("ana.lima"), "\(table)")

            // Case-insensitive, like sign-in.
            let show = try await cli.run(["staff", "show", "ANA.LIMA"])
            #expect(show.status == 0 && show.stdout.contains("Ana Lima") && show.stdout.contains(ana.id.uuidString), "\(show)")

            let offboard = try await cli.run(["staff", "offboard", "ana.lima", "--reassign-to", "martin.manager", "--yes"])
            #expect(offboard.status == 0, "\(offboard)")
            #expect(try await server.services.storage.staff(id: ana.id)?.status == .departed)
            #expect(try await server.services.storage.staff(id: martin.id)?.status == .active)

            let unknown = try await cli.run(["staff", "show", "ana.lim"])
            #expect(unknown.status == 1 && unknown.stderr.contains("unknown member of staff 'ana.lim'"), "\(unknown)")
        }
    }
}
