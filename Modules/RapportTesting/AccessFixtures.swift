import Foundation
import RapportAccess
import RapportModels

/// Organisations for access-control tests: a small hand-made ``Cast`` with a named person for
/// every role and rule, and seeded random ``World``s for property tests (team trees, mixed
/// roles and statuses, devices, grants and deny rules around `now`, customers of every tier).
///
/// ```swift
/// let world = AccessFixtures.world(seed: 7, staffCount: 12, customerCount: 40)
/// let policy = AccessPolicy(world.organisation)
/// ```
public enum AccessFixtures {
    /// 2025-06-10T02:00:00Z — 10:00 on a Tuesday in UTC+8, inside working hours.
    public static let now = Date(timeIntervalSince1970: 1_749_520_800)

    /// A custom role used by generated worlds: team scope, reads ordinary fields only.
    public static let analystRole = Role(
        id: "analyst", name: "Analyst",
        permissions: PermissionSet(otherEntities: .read, ordinary: FieldClassPermission(read: .full, write: false)),
        scope: .team, quotas: QuotaLimits(distinctCustomersPerDay: 300, exportsPerDay: 0, sensitiveRevealsPerHour: 0))

    // MARK: - The cast

    /// A small organisation with one named person per role and rule.
    ///
    /// Teams: `sales` (root) ⟶ `east` ⟶ `eastOne`; `west` is a second root; `service` a third.
    public struct Cast: Sendable {
        /// Team ids.
        public let sales = UUID(), east = UUID(), eastOne = UUID(), west = UUID(), service = UUID()
        /// Administrators (two, for separation of duties).
        public let ada = UUID(), bo = UUID()
        /// Manager of `sales` (the whole sales tree) and manager of `east`.
        public let max = UUID(), mia = UUID()
        /// Sales reps in `eastOne` (ray, rita), in `west` (sam); nora is on notice in `eastOne`;
        /// sid is suspended; dan has departed.
        public let ray = UUID(), rita = UUID(), sam = UUID(), nora = UUID(), sid = UUID(), dan = UUID()
        /// Support agent and auditor.
        public let sue = UUID(), al = UUID()
        /// Ray's two devices: `rayPhone` active, `rayOldPhone` revoked.
        public let rayPhone = UUID(), rayOldPhone = UUID()

        /// Creates a cast with fresh ids.
        public init() {}

        /// The staff.
        public var staff: [Staff] {
            [
                Staff(id: ada, name: "Ada", teamId: sales, roles: [.admin]),
                Staff(id: bo, name: "Bo", teamId: sales, roles: [.admin]),
                Staff(id: max, name: "Max", teamId: sales, roles: [.manager]),
                Staff(id: mia, name: "Mia", teamId: east, roles: [.manager]),
                Staff(id: ray, name: "Ray", teamId: eastOne, roles: [.salesRep]),
                Staff(id: rita, name: "Rita", teamId: eastOne, roles: [.salesRep]),
                Staff(id: sam, name: "Sam", teamId: west, roles: [.salesRep]),
                Staff(id: nora, name: "Nora", teamId: eastOne, roles: [.salesRep], status: .notice),
                Staff(id: sid, name: "Sid", teamId: eastOne, roles: [.salesRep], status: .suspended),
                Staff(id: dan, name: "Dan", teamId: eastOne, roles: [.salesRep], status: .departed),
                Staff(id: sue, name: "Sue", teamId: service, roles: [.supportAgent]),
                Staff(id: al, name: "Al", teamId: service, roles: [.auditor]),
            ]
        }

        /// The teams.
        public var teams: [Team] {
            [
                Team(id: sales, name: "Sales"), Team(id: east, name: "East", parentId: sales),
                Team(id: eastOne, name: "East 1", parentId: east), Team(id: west, name: "West"),
                Team(id: service, name: "Service"),
            ]
        }

        /// Ray's devices.
        public var devices: [Device] {
            [Device(id: rayPhone, staffId: ray), Device(id: rayOldPhone, staffId: ray, status: .revoked)]
        }

        /// The organisation with optional grants, deny rules and settings.
        public func organisation(
            grants: [AccessGrant] = [], denyRules: [DenyRule] = [], settings: AccessSettings = AccessSettings()
        ) -> Organisation {
            Organisation(
                staff: staff, teams: teams, devices: devices, grants: grants, denyRules: denyRules, settings: settings)
        }

        /// A normal-tier customer owned by `owner` in `team`.
        public func customer(
            ownedBy owner: UUID, team: UUID, tier: ValueTier? = .normal, accountManager: UUID? = nil,
            tags: Set<String> = [], complaintAssignees: [UUID] = []
        ) -> CustomerAccessFacts {
            CustomerAccessFacts(
                id: UUID(), ownerId: owner, teamId: team, tier: tier, accountManagerId: accountManager, tags: tags,
                openComplaintAssignees: complaintAssignees)
        }
    }

    // MARK: - Generated worlds

    /// A generated organisation with its customers and the field maps of those customers.
    public struct World: Sendable {
        /// The organisation snapshot.
        public let organisation: Organisation
        /// Every customer's access facts.
        public let customers: [CustomerAccessFacts]
        /// Each customer's field map, with a unique token in every sensitive and secret value.
        public let fieldMaps: [UUID: [String: JSONValue]]
        /// The moment the world is built around.
        public let now: Date

        /// Every principal worth asking about: each person without a device, through each of
        /// their devices, and one unknown person.
        public var principals: [Principal] {
            var result = organisation.staff.map { Principal(staffId: $0.id) }
            result += organisation.devices.map { Principal(staffId: $0.staffId, deviceId: $0.id) }
            if let someone = organisation.staff.first,
                let device = organisation.devices.first(where: { $0.staffId != someone.id })
            {
                result.append(Principal(staffId: someone.id, deviceId: device.id))  // someone else's device
            }
            result.append(Principal(staffId: UUID()))
            return result
        }

        /// Instants worth checking: `now` and every grant and deny boundary (start, expiry,
        /// revocation) and the instant just before each.
        public var interestingInstants: [Date] {
            var instants: Set<Date> = [now]
            for grant in organisation.grants {
                for instant in [grant.createdAt, grant.expiresAt] + (grant.revokedAt.map { [$0] } ?? []) {
                    instants.insert(instant)
                    instants.insert(instant.addingTimeInterval(-0.001))
                }
            }
            for rule in organisation.denyRules {
                for instant in [rule.createdAt] + (rule.expiresAt.map { [$0] } ?? []) {
                    instants.insert(instant)
                    instants.insert(instant.addingTimeInterval(-0.001))
                }
            }
            return instants.sorted()
        }
    }

    /// A seeded random organisation: the same arguments always give the same world.
    public static func world(seed: UInt64, staffCount: Int, customerCount: Int, now: Date = now) -> World {
        var rng = Random(seed: seed)
        let teamCount = rng.int(1...5)
        var teams: [Team] = []
        for index in 0..<teamCount {
            let parent = index > 0 && rng.chance(0.8) ? teams[rng.int(0...(index - 1))].id : nil
            teams.append(Team(id: rng.uuid(), name: "Team \(index)", parentId: parent))
        }
        let roleMenu: [RoleID] = [
            .salesRep, .salesRep, .salesRep, .salesRep, .manager, .manager, .supportAgent, .auditor, .admin, "analyst",
        ]
        var staff: [Staff] = []
        var devices: [Device] = []
        for index in 0..<max(staffCount, 1) {
            var roles: Set<RoleID> = [rng.pick(roleMenu)]
            if rng.chance(0.15) { roles.insert(rng.pick(roleMenu)) }
            let status: StaffStatus = rng.pick([
                .active, .active, .active, .active, .active, .active, .notice, .suspended, .departed,
            ])
            let person = Staff(
                id: rng.uuid(), name: "Staff \(index)", teamId: rng.pick(teams).id, roles: roles, status: status)
            staff.append(person)
            for _ in 0..<rng.int(0...2) {
                devices.append(Device(id: rng.uuid(), staffId: person.id, status: rng.chance(0.2) ? .revoked : .active))
            }
        }
        let tags = ["vip", "expo", "north", "south", "wholesale"]
        var customers: [CustomerAccessFacts] = []
        for _ in 0..<max(customerCount, 0) {
            let owner = rng.pick(staff)
            let tier: ValueTier? = rng.chance(0.15) ? nil : rng.pick(ValueTier.allCases + [.key])
            customers.append(
                CustomerAccessFacts(
                    id: rng.uuid(), ownerId: owner.id, teamId: rng.chance(0.8) ? owner.teamId : rng.pick(teams).id,
                    tier: tier, accountManagerId: rng.chance(tier == .key ? 0.7 : 0.1) ? rng.pick(staff).id : nil,
                    tags: Set(tags.filter { _ in rng.chance(0.25) }),
                    openComplaintAssignees: rng.chance(0.25) ? (0..<rng.int(1...2)).map { _ in rng.pick(staff).id } : []
                ))
        }
        func target() -> GrantTarget {
            if customers.isEmpty || rng.chance(0.4) {
                return .segment(
                    CustomerSegment(
                        tag: rng.chance(0.6) ? rng.pick(tags) : nil,
                        tier: rng.chance(0.4) ? rng.pick(ValueTier.allCases) : nil,
                        teamId: rng.chance(0.4) ? rng.pick(teams).id : nil))
            }
            return .customer(rng.pick(customers).id)
        }
        var grants: [AccessGrant] = []
        for _ in 0..<rng.int(0...8) {
            let createdAt = now.addingTimeInterval(-Double(rng.int(0...(10 * 86_400))))
            let breakGlass = rng.chance(0.1)
            var permissions: GrantPermissions = .read
            if rng.chance(0.3) { permissions.insert(.write) }
            if rng.chance(0.2) { permissions.insert(.export) }
            let expiresAt = createdAt.addingTimeInterval(Double(rng.int(3_600...(15 * 86_400))))
            let approval: GrantApproval =
                rng.chance(0.15)
                ? .pending : rng.chance(0.2) ? .approved(by: rng.pick(staff).id, at: createdAt) : .notRequired
            let revokedAt = rng.chance(0.1) ? createdAt.addingTimeInterval(Double(rng.int(60...86_400))) : nil
            grants.append(
                AccessGrant(
                    id: rng.uuid(), granteeId: rng.pick(staff).id,
                    target: breakGlass && rng.chance(0.7) ? .organisation : target(),
                    permissions: permissions, kind: breakGlass ? .breakGlass : .standard, reason: "generated",
                    grantorId: rng.pick(staff).id, createdAt: createdAt, expiresAt: expiresAt, approval: approval,
                    revokedAt: revokedAt, revokedBy: revokedAt == nil ? nil : staff[0].id))
        }
        var denyRules: [DenyRule] = []
        for _ in 0..<rng.int(0...3) {
            let createdAt = now.addingTimeInterval(-Double(rng.int(0...(5 * 86_400))))
            let rule = DenyRule(
                id: rng.uuid(), staffId: rng.chance(0.2) ? nil : rng.pick(staff).id,
                target: rng.chance(0.05) ? .organisation : target(), reason: "generated", createdBy: staff[0].id,
                createdAt: createdAt,
                expiresAt: rng.chance(0.5) ? createdAt.addingTimeInterval(Double(rng.int(3_600...(10 * 86_400)))) : nil)
            denyRules.append(rule)
        }
        var fieldMaps: [UUID: [String: JSONValue]] = [:]
        for customer in customers { fieldMaps[customer.id] = customerFieldMap(customer, rng: &rng) }
        let organisation = Organisation(
            staff: staff, teams: teams, devices: devices, roles: [analystRole], grants: grants, denyRules: denyRules)
        return World(organisation: organisation, customers: customers, fieldMaps: fieldMaps, now: now)
    }

    /// A customer field map with every registered customer field (from ``FieldRegistry``) plus
    /// one custom field; each sensitive or secret value carries a unique token.
    static func customerFieldMap(_ customer: CustomerAccessFacts, rng: inout Random) -> [String: JSONValue] {
        var map: [String: JSONValue] = [:]
        for descriptor in FieldRegistry.fields(of: .customer) {
            let guarded = descriptor.fieldClass != .ordinary
            let token = "\(descriptor.fieldClass.rawValue.prefix(3))\(rng.int(100_000_000...999_999_999))"
            switch (descriptor.path, descriptor.valueType) {
            case ("id", _): map["id"] = .string(customer.id.uuidString)
            case ("ownerId", _): map["ownerId"] = .string(customer.ownerId.uuidString)
            case (_, .string): map[descriptor.path] = .string(guarded ? "v-\(token)" : "plain text")
            case (_, .stringList), (_, .stringSet):
                switch descriptor.maskStyle {
                case .phone: map[descriptor.path] = .array([.string("13\(rng.int(100_000_000...999_999_999))")])
                case .email: map[descriptor.path] = .array([.string("u\(token)@example.com")])
                case .withhold: map[descriptor.path] = .array([.string(guarded ? "v-\(token)" : "plain")])
                }
            case (_, .integer), (_, .money), (_, .number):
                map[descriptor.path] = .int(guarded ? Int64(rng.int(100_000_000...999_999_999)) : 7)
            case (_, .objectList): map[descriptor.path] = .array([.object(["name": .string("v-\(token)")])])
            case (_, .enumeration(let values)): map[descriptor.path] = values.first.map(JSONValue.string) ?? .null
            case (_, .integerEnumeration(let values)):
                map[descriptor.path] = values.first.map { .int(Int64($0)) } ?? .null
            case (_, .bool): map[descriptor.path] = .bool(true)
            case (_, .uuid): map[descriptor.path] = .string(rng.uuid().uuidString)
            case (_, .timestamp): map[descriptor.path] = .string("2025-01-01T00:00:00.000Z")
            case (_, .calendarDate):
                map[descriptor.path] = .string(
                    guarded ? "19\(rng.int(40...99))-0\(rng.int(1...9))-1\(rng.int(0...9))" : "2001-02-03")
            case (_, .json): map[descriptor.path] = .object(["v": .string("v-\(token)")])
            }
            if descriptor.maskStyle == .phone, descriptor.valueType == .string {
                map[descriptor.path] = .string("13\(rng.int(100_000_000...999_999_999))")
            }
        }
        map[FieldRegistry.customFieldsKey + ".hobbyNote"] = .string("v-cus\(rng.int(100_000_000...999_999_999))")
        return map
    }

    /// A small deterministic random source (SplitMix64), so worlds replay from their seed.
    struct Random {
        private var state: UInt64

        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func int(_ range: ClosedRange<Int>) -> Int {
            range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
        }

        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) < p * 10_000 }

        mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

        mutating func uuid() -> UUID {
            let a = next()
            let b = next()
            var bytes = [UInt8](repeating: 0, count: 16)
            for i in 0..<8 {
                bytes[i] = UInt8(truncatingIfNeeded: a >> (8 * i))
                bytes[8 + i] = UInt8(truncatingIfNeeded: b >> (8 * i))
            }
            bytes[6] = (bytes[6] & 0x0F) | 0x40
            bytes[8] = (bytes[8] & 0x3F) | 0x80
            return UUID(
                uuid: (
                    bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                    bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
                ))
        }
    }
}
