import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportModels
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

/// A fresh installation has one administrator, and making a second one is itself a widening
/// change that waits for a second administrator: without a way out the organisation could never
/// have two. The way out is the operator's, who holds the data directory (outside the
/// administrators' separation of duties anyway): `rapport-server add-admin`, server stopped,
/// audited and anchored.
@Suite("Attack: the lone administrator")
struct LoneAdministratorTests {
    @Test("a lone administrator's second administrator is held; the operator adds one with the server stopped, who approves")
    func operatorAddsTheSecondAdministrator() async throws {
        let first = try await LiveServer.start(label: "rapport-lone-admin", logLevel: .error)
        let dataDirectory = first.services.configuration.dataDirectory
        let token = try await first.login(first.admin.loginName, password: first.admin.password).tokens.accessToken
        let teams = try await first.services.storage.organisation().teams
        let created = try await first.send(
            .POST, "/v1/admin/staff",
            body: try JSONSerialization.data(withJSONObject: [
                "name": "Puppet", "teamId": try #require(teams.first).id.uuidString, "roles": ["admin"],
                "loginName": "puppet", "password": "correct horse battery",
            ]), token: token)
        #expect(created.status == 202, "\(created.text)")
        // The puppet has no rights while the change waits, and cannot approve it.
        let puppet = try await first.login("puppet")
        #expect(try await first.send(.GET, "/v1/admin/changes", token: puppet.tokens.accessToken).status == 403)

        // Not while the server runs: the operator's write would fork the audit chain.
        do {
            _ = try await AddAdminCommand.addAdministrator(dataDirectory: dataDirectory, login: "ops", name: "Operator's admin")
            Issue.record("add-admin ran beside a running server")
        } catch let error as ServerError {
            #expect(error.message.contains("in use by process"), "\(error.message)")
        }
        await first.beginShutdown()
        try await first.waitStopped()
        let credential = try await AddAdminCommand.addAdministrator(
            dataDirectory: dataDirectory, login: "ops", name: "Operator's admin")
        await #expect(throws: ServerError.self) {
            _ = try await AddAdminCommand.addAdministrator(dataDirectory: dataDirectory, login: "ops", name: "Twice")
        }

        let second = try await LiveServer.start(
            label: "rapport-lone-admin", logLevel: .error, configure: { $0.dataDirectory = dataDirectory },
            admin: first.admin)
        let ops = try await second.login("ops", password: credential.password).tokens.accessToken
        let changes = try await second.send(.GET, "/v1/admin/changes?status=pending", token: ops)
        let pending = try #require((changes.json["items"] as? [[String: Any]])?.first?["id"] as? String, "\(changes.text)")
        let approved = try await second.send(.POST, "/v1/admin/changes/\(pending)/approve", token: ops)
        #expect(approved.status == 200, "\(approved.text)")
        let audited = try await second.services.audit.query(AuditQuery(action: "operatorAddedAdministrator"))
        #expect(audited.entries.count == 1 && audited.entries[0].actorId == nil)
        #expect(try await second.services.audit.verify().intact)
        try await second.stop()
        first.directory.remove()
    }
}
