import Foundation
import NIOHTTP1
import RapportClient
import RapportModels
import RapportProtocol
import RapportStore
import RapportSyncClient

/// What a scenario works with: an administrator's session to set up its own fixtures (a fresh
/// team and staff with unique login names, so scenarios never share data and can run against a
/// long-lived server), client devices over real encrypted stores in a scratch folder, and raw
/// protocol devices.
public final class ConformanceContext: Sendable {
    /// The server under test.
    public let server: ServerEndpoint
    let caFile: String?
    let admin: ProtocolDevice
    let folder: String
    let suffix: String

    init(server: ServerEndpoint, caFile: String?, admin: ProtocolDevice, folder: String) {
        self.server = server
        self.caFile = caFile
        self.admin = admin
        self.folder = folder
        suffix = String(UUID().uuidString.prefix(8)).lowercased()
    }

    // MARK: - Fixtures through the admin API

    struct Identified: Decodable { var id: UUID }

    /// A member of staff made for the scenario, with their password.
    struct Person: Sendable {
        var id: UUID
        var login: String
        var password: String
        var teamId: UUID
    }

    func adminCall(_ method: HTTPMethod, _ path: String, _ body: (any Encodable & Sendable)? = nil) async throws -> Data {
        let data = try body.map { try SyncWire.encode($0) }
        let reply = try await admin.http.send(method, path, body: data, token: await admin.accessToken)
        try check(reply.isSuccess, "admin \(method) \(path) answered HTTP \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        return reply.body
    }

    /// A new team.
    func team(_ name: String) async throws -> UUID {
        struct Body: Encodable, Sendable { var name: String }
        let data = try await adminCall(.POST, "/v1/admin/teams", Body(name: "conformance \(name) \(suffix)"))
        return try RapportJSON.decoder().decode(Identified.self, from: data).id
    }

    /// A new member of staff with a random password.
    func person(_ name: String, role: String = "salesRep", team: UUID? = nil) async throws -> Person {
        struct Body: Encodable, Sendable {
            var name: String
            var teamId: UUID
            var roles: [String]
            var loginName: String
            var password: String
        }
        let teamId: UUID
        if let team { teamId = team } else { teamId = try await self.team("team of \(name)") }
        let login = "conf-\(name)-\(suffix)"
        let password = "pw-" + ClientCrypto.randomBytes(count: 12).map { String(format: "%02x", $0) }.joined()
        let data = try await adminCall(
            .POST, "/v1/admin/staff", Body(name: "Conformance \(name) \(suffix)", teamId: teamId, roles: [role], loginName: login, password: password))
        return Person(id: try RapportJSON.decoder().decode(Identified.self, from: data).id, login: login, password: password, teamId: teamId)
    }

    /// Grants `person` read access to one customer for an hour; returns the grant id.
    func grantRead(to person: Person, customer: UUID) async throws -> UUID {
        struct Target: Encodable, Sendable { var customer: UUID }
        struct Body: Encodable, Sendable {
            var granteeId: UUID
            var target: Target
            var permissions: [String]
            var reason: String
            var `for`: String
        }
        let data = try await adminCall(
            .POST, "/v1/admin/grants",
            Body(granteeId: person.id, target: Target(customer: customer), permissions: ["read"], reason: "conformance scenario", for: "1h"))
        return try RapportJSON.decoder().decode(Identified.self, from: data).id
    }

    /// Revokes a grant.
    func revokeGrant(_ id: UUID) async throws {
        _ = try await adminCall(.POST, "/v1/admin/grants/\(id.uuidString.lowercased())/revoke")
    }

    /// Reassigns a customer to `person`.
    func reassign(_ customer: UUID, to person: Person) async throws {
        struct Body: Encodable, Sendable { var toStaff: UUID; var reason: String }
        _ = try await adminCall(
            .POST, "/v1/admin/customers/\(customer.uuidString.lowercased())/reassign", Body(toStaff: person.id, reason: "conformance scenario"))
    }

    /// Revokes a device.
    func revokeDevice(_ id: UUID) async throws {
        _ = try await adminCall(.POST, "/v1/admin/devices/\(id.uuidString.lowercased())/revoke")
    }

    // MARK: - Devices

    /// A client device (engine over a real encrypted store) signed in as `person`.
    func client(_ person: Person, _ label: String) async throws -> RapportClient {
        let directory = ClientDirectory(folder + "/\(label)-\(UUID().uuidString.prefix(6))")
        var options = ClientOptions(caFile: caFile, store: StoreConfiguration(pageCacheKiB: 2048))
        options.sync.maxAttempts = 3
        options.sync.initialBackoffMillis = 100
        return try await RapportClient.signIn(
            server: server, loginName: person.login, password: person.password, directory: directory,
            device: DeviceDescription(name: "conformance \(label)", platform: "conformance"), options: options)
    }

    /// A raw protocol device signed in as `person`.
    func protocolDevice(_ person: Person) async throws -> ProtocolDevice {
        try await ProtocolDevice.signIn(server: server, caFile: caFile, login: person.login, password: person.password)
    }

    /// A customer owned by `person`, with contact details that sales roles see masked.
    func customer(of person: Person, name: String = "Conformance Customer") -> Customer {
        Customer(
            kind: .individual, name: name, sourceChannel: .referral, ownerId: person.id, teamId: person.teamId,
            notes: "prefers morning visits \(suffix)", createdAt: Date(),
            individual: IndividualProfile(phones: ["1381234\(suffix.prefix(4).unicodeScalars.map { String($0.value % 10) }.joined())"], emails: ["c.\(suffix)@example.com"]))
    }
}
