import Foundation
import Logging
import NIOHTTP1
import RapportAccess
import RapportCrypto
import RapportProtocol
import RapportServer
import RapportServerTesting
import RapportTesting
import Testing

@Suite("Backup and restore")
struct BackupTests {
    @Test func adminBackupEndpointAndRestoreRoundTrip() async throws {
        let server = try await TestServer.start()
        let kept = try await server.addStaff(login: "kept")
        let admin = try await server.login(server.admin.loginName, password: server.admin.password)

        let rep = try await server.login("kept")
        let forbidden = try await server.send(.POST, "/v1/admin/backup", token: rep.tokens.accessToken)
        #expect(forbidden.status == 403)
        #expect(forbidden.errorCode == "forbidden")

        let reply = try await server.send(.POST, "/v1/admin/backup", token: admin.tokens.accessToken)
        #expect(reply.status == 201)
        let path = try #require(reply.json["path"] as? String)
        #expect((reply.json["bytes"] as? Int ?? 0) > 0)
        let copy = server.directory.path("copy.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)

        // Also through the subcommand's code path, while the server runs.
        let viaCommand = server.directory.path("command.sqlite")
        try await BackupCommand.backup(dataDirectory: server.services.dataDirectory, to: viaCommand)
        #expect(FileManager.default.fileExists(atPath: viaCommand))

        let lost = try await server.addStaff(login: "lost")
        // Restore refuses while the server holds the data directory.
        #expect {
            try SQLiteServerStorage.restore(from: copy, into: server.services.dataDirectory)
        } throws: { ($0 as? ServerError)?.code == .serverRunning }

        let dataDirectory = server.services.dataDirectory
        await server.beginShutdown()
        try await server.waitStopped()

        try SQLiteServerStorage.restore(from: copy, into: dataDirectory)
        let restored = try SQLiteServerStorage(path: dataDirectory.databasePath)
        #expect(try await restored.staff(id: kept.id) != nil)
        #expect(try await restored.staff(id: lost.id) == nil)
        #expect(try await restored.setting(SQLiteServerStorage.generationSetting) == "1")
        #expect(try await restored.credential(loginName: "kept") != nil)
        server.directory.remove()
    }

    @Test func restoreRefusesSomethingThatIsNotABackup() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let junk = dir.path("junk.sqlite")
        try Data("definitely not sqlite".utf8).write(to: URL(fileURLWithPath: junk))
        #expect {
            try SQLiteServerStorage.restore(from: junk, into: DataDirectory(path: dir.path("data")))
        } throws: { ($0 as? ServerError)?.code == .malformedRequest }
        #expect {
            try SQLiteServerStorage.restore(from: dir.path("missing"), into: DataDirectory(path: dir.path("data")))
        } throws: { ($0 as? ServerError)?.code == .malformedRequest }
    }

    @Test func bootstrapHappensOnceAndDemoSeedsEveryRole() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        var configuration = ServerConfiguration(port: 0, dataDirectory: dir.path("data"))
        configuration.passwordHashing = .testing
        let services = try ServerServices.open(configuration: configuration, logger: .init(label: "test"))
        #expect(try await services.identity.bootstrap() != nil)
        #expect(try await services.identity.bootstrap() == nil)
        let logins = try await DemoSeeder(identity: services.identity).seed()
        #expect(Set(logins.map(\.role)) == Set(RoleID.builtIns))
        #expect(try await DemoSeeder(identity: services.identity).seed().isEmpty)
        for login in logins {
            let response = try await services.identity.login(
                LoginRequest(
                    loginName: login.loginName, password: login.password,
                    device: DeviceInfo(id: UUID(), name: "d", platform: "cli")))
            #expect(response.staff.roles == [login.role.rawValue])
        }
    }
}
