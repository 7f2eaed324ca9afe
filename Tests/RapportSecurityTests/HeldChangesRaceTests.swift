import Foundation
import NIOHTTP1
import RapportAccess
import RapportProtocol
import RapportServer
import RapportServerTesting
import Testing

/// Administrators acting at the same moment: every change is judged and recorded in its own
/// turn, so none of the held requests is lost (each used to rewrite the whole pending list).
@Suite("Attack: concurrent administrator changes")
struct HeldChangesRaceTests {
    @Test("twenty widening changes sent at once are all held, none lost")
    func concurrentHeldChangesAreAllKept() async throws {
        let org = try await AttackOrg.start()
        let token = try await org.server.login(org.server.admin.loginName, password: org.server.admin.password)
            .tokens.accessToken
        var people: [UUID] = []
        for index in 0..<20 { people.append(try await org.server.addStaff(login: "rep\(index)", team: org.north).id) }
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for person in people {
                group.addTask {
                    let body = try JSONSerialization.data(withJSONObject: ["staffId": person.uuidString, "adding": ["admin"]])
                    return try await org.server.send(.POST, "/v1/admin/roles/assign", body: body, token: token).status
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 202 }, "\(statuses)")
        let listed = try await org.server.send(.GET, "/v1/admin/changes?status=pending", token: token)
        #expect((listed.json["items"] as? [[String: Any]])?.count == 20, "\(listed.text.prefix(300))")
        try await org.stop()
    }
}
