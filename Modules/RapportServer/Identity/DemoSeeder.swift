import Foundation
import Logging
import RapportAccess
import RapportProtocol
import RapportSyncServer

/// Seeds a small, believable organisation for `rapport-server --demo`: a head office with two
/// regional sales teams and a service desk, and one member of staff for every built-in role,
/// each with a known demo password. Runs once per data directory.
///
/// Customers and their history are seeded through sync storage (see ``seedCustomers``).
public struct DemoSeeder: Sendable {
    /// One seeded login.
    public struct Login: Sendable, Hashable {
        /// The role the person holds.
        public var role: RoleID
        /// Their name.
        public var name: String
        /// Their login name.
        public var loginName: String
        /// Their demo password.
        public var password: String
        /// Their team's name.
        public var team: String
    }

    /// The setting recorded once the demo organisation exists.
    public static let seededSetting = "demoSeeded"

    /// The service the seeder writes through.
    public let identity: IdentityService

    /// How many demo customers to create (2,000 by default; 0 creates none).
    public let customerCount: Int

    /// Creates a seeder.
    public init(identity: IdentityService, customerCount: Int = 2_000) {
        self.identity = identity
        self.customerCount = customerCount
    }

    /// Seeds the organisation unless it already was; returns the logins created (empty if
    /// seeding happened before).
    public func seed() async throws -> [Login] {
        let storage = identity.storage
        if try await storage.setting(Self.seededSetting) != nil { return [] }
        let head = Team(id: UUID(), name: "Head Office")
        let north = Team(id: UUID(), name: "Sales North", parentId: head.id)
        let south = Team(id: UUID(), name: "Sales South", parentId: head.id)
        let service = Team(id: UUID(), name: "Customer Service", parentId: head.id)
        for team in [head, north, south, service] { try await storage.saveTeam(team) }

        let people: [(RoleID, String, String, Team)] = [
            (.admin, "Grace Okafor", "grace.admin", head),
            (.manager, "Martin Keller", "martin.manager", north),
            (.salesRep, "Ana Lima", "ana.rep", north),
            (.salesRep, "Tomás Ruiz", "tomas.rep", south),
            (.supportAgent, "Priya Nair", "priya.support", service),
            (.auditor, "Olu Adeyemi", "olu.auditor", head),
        ]
        var logins: [Login] = []
        var seeded: [String: Staff] = [:]
        for (role, name, loginName, team) in people {
            let staff = Staff(id: UUID(), name: name, teamId: team.id, roles: [role])
            try await storage.saveStaff(staff)
            let password = "demo-\(role.rawValue)-2024"
            try await identity.setPassword(staffId: staff.id, loginName: loginName, password: password)
            logins.append(Login(role: role, name: name, loginName: loginName, password: password, team: team.name))
            seeded[loginName] = staff
        }
        try await seedCustomers(north: north, south: south, seeded: seeded)
        try await storage.setSetting(Self.seededSetting, "true")
        return logins
    }

    /// Adds further sales reps without logins (4 in Sales North, 9 in Sales South) and
    /// ``customerCount`` customers with contacts, interactions, orders, complaints and surveys,
    /// owned round robin by the manager and the 15 reps (about 125 each with the default, so
    /// every demo login's first sync fits its daily distinct-customer quota, except the
    /// auditor's, whose organisation-wide scope meets its quota of 500), written through the
    /// sync server's server-write path so they are in the change log.
    func seedCustomers(north: Team, south: Team, seeded: [String: Staff]) async throws {
        let sync = identity.storage
        guard customerCount > 0,
            let manager = seeded["martin.manager"], let ana = seeded["ana.rep"], let tomas = seeded["tomas.rep"]
        else { return }
        var owners = [
            DemoCustomers.Owner(staffId: manager.id, teamId: north.id),
            DemoCustomers.Owner(staffId: ana.id, teamId: north.id, managerId: manager.id),
            DemoCustomers.Owner(staffId: tomas.id, teamId: south.id),
        ]
        let extra: [(String, Team)] =
            [("Li Wei", north), ("Sophie Clarke", north), ("陈静", north), ("George Walker", north)]
            + [("王磊", south), ("Amelia Hall", south), ("张敏", south), ("Noah Evans", south), ("刘洋", south)]
            + [("Mia Wood", south), ("赵强", south), ("Jack Green", south), ("周娟", south)]
        for (name, team) in extra {
            let rep = Staff(id: UUID(), name: name, teamId: team.id, roles: [.salesRep])
            try await identity.storage.saveStaff(rep)
            owners.append(
                DemoCustomers.Owner(staffId: rep.id, teamId: team.id, managerId: team.id == north.id ? manager.id : nil))
        }
        let server = SyncServer(
            storage: sync, scope: ClosureScopeProvider(visible: { _ in [] }), clock: SystemWallClock(),
            configuration: SyncServerConfiguration(clockNode: "server-demo"))
        let written = try await DemoCustomers(
            count: customerCount, owners: owners, supportAgent: seeded["priya.support"]?.id
        ).seed(into: server)
        identity.logger.notice("seeded demo customers", metadata: ["customers": "\(customerCount)", "records": "\(written)"])
    }
}
