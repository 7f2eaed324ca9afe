import Foundation
import RapportAccess
import RapportClient
import RapportCrypto
import RapportModels
import RapportProtocol
import RapportServerTesting
import RapportStore
import RapportSyncClient
import RapportTesting
import Testing

/// The client library against a real server on an ephemeral port.
@Suite("Client: sign-in, sync, session, lease")
struct ClientSessionTests {
    static func customer(owner: Staff, name: String = "王芳") -> Customer {
        Customer(
            kind: .individual, name: name, sourceChannel: .referral, ownerId: owner.id, teamId: owner.teamId,
            notes: "likes tea", createdAt: Date(),
            individual: IndividualProfile(phones: ["13812345678"], emails: ["wang.fang@example.cn"]))
    }

    static func options(now: @escaping @Sendable () -> Date = { Date() }) -> ClientOptions {
        ClientOptions(store: StoreConfiguration(scrypt: .testing), now: now, sleeper: NoSleep())
    }

    struct NoSleep: SyncSleeper {
        func sleep(milliseconds: Int64) async {}
    }

    @Test("sign in, edit offline, sync; a second device receives the record; reopen works offline")
    func roundTrip() async throws {
        let server = try await LiveServer.start()
        let folder = try TemporaryDirectory(prefix: "client")
        defer { folder.remove() }
        do {
            let ana = try await server.addStaff(login: "ana")
            let endpoint = try ServerEndpoint(server.baseURL)
            let phone = try await RapportClient.signIn(
                server: endpoint, loginName: "ana", password: "correct horse battery", directory: ClientDirectory(folder.path("phone")),
                device: DeviceDescription(name: "phone", platform: "cli"), options: Self.options())
            #expect(phone.staff.id == ana.id)
            let customer = Self.customer(owner: ana)
            try await phone.engine.save(customer)
            let report = try await phone.sync()
            #expect(report.rejections.isEmpty)
            #expect(try await phone.store.outbox().isEmpty)

            let tablet = try await RapportClient.signIn(
                server: endpoint, loginName: "ana", password: "correct horse battery", directory: ClientDirectory(folder.path("tablet")),
                device: DeviceDescription(name: "tablet", platform: "cli"), options: Self.options())
            try await tablet.sync()
            let arrived = try await tablet.store.entity(Customer.self, id: customer.id)
            #expect(arrived?.name == "王芳")
            await tablet.close()
            await phone.close()

            // Reopen the phone with the server gone: the lease is valid, so the data opens offline.
            try await server.stop()
            let reopened = try await RapportClient.open(directory: ClientDirectory(folder.path("phone")), options: Self.options())
            // Notes are sensitive: a sales rep's device keeps them masked, even for their own edit.
            let stored = try #require(try await reopened.store.entity(Customer.self, id: customer.id))
            #expect(stored.name == "王芳" && stored.notes == nil)
            #expect(await reopened.engine.maskedPaths[.customer]?.contains("notes") == true)
            await reopened.close()
        } catch {
            try? await server.stop()
            throw error
        }
    }
}
