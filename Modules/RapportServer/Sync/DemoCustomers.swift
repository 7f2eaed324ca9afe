import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// Generates the demo customer base for `rapport-server --demo` and writes it through the sync
/// server's server-write path, so every record is versioned, in the change log and pulled by
/// devices like any other.
///
/// Deterministic (a seeded generator): the same owners give the same customers. Individuals
/// and enterprises with Chinese and English names, phones and e-mails (sensitive, masked for
/// every built-in role), credit limits and profits (secret), contacts, interactions, orders,
/// complaints (assigned to the support agent), satisfaction surveys; about one customer in
/// twenty is a key customer managed by the owner's team manager when there is one.
public struct DemoCustomers: Sendable {
    /// One owner of demo customers.
    public struct Owner: Sendable, Hashable {
        /// The member of staff.
        public var staffId: UUID
        /// Their team.
        public var teamId: UUID
        /// Their team's manager (the account manager of their key customers), if any.
        public var managerId: UUID?

        /// Creates an owner.
        public init(staffId: UUID, teamId: UUID, managerId: UUID? = nil) {
            self.staffId = staffId
            self.teamId = teamId
            self.managerId = managerId
        }
    }

    /// How many customers to create.
    public var count: Int
    /// Who owns them (round robin).
    public var owners: [Owner]
    /// Who complaints are assigned to.
    public var supportAgent: UUID?
    /// The generator's seed.
    public var seed: UInt64

    /// Creates a generator.
    public init(count: Int, owners: [Owner], supportAgent: UUID?, seed: UInt64 = 2024) {
        self.count = count
        self.owners = owners
        self.supportAgent = supportAgent
        self.seed = seed
    }

    /// Writes the customers and their records through `server`; returns how many records were
    /// written.
    @discardableResult
    public func seed(into server: SyncServer) async throws -> Int {
        guard !owners.isEmpty else { return 0 }
        var random = SplitMix64(seed: seed)
        var written = 0
        let now = Date()
        for index in 0..<count {
            let owner = owners[index % owners.count]
            let records = makeRecords(index: index, owner: owner, now: now, random: &random)
            for (kind, id, fields) in records {
                try await server.serverWrite(RecordKey(kind, id), fields: fields)
                written += 1
            }
        }
        return written
    }

    // MARK: - Generation

    static let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "胡", "朱", "郭"]
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超", "秀英", "建华", "志强", "丽娟"]
    static let firstNames = ["Olivia", "James", "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Emily", "Leo", "Grace", "Jack", "Mia", "Harry", "Sophie", "Liam"]
    static let lastNames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright", "Walker", "Evans", "Green", "Hall", "Wood", "Clarke"]
    static let companyStems = ["华信", "远航", "恒通", "嘉禾", "金桥", "新元", "瑞丰", "德诚", "Northwind", "Bluewater", "Harbour", "Evergreen", "Summit", "Crescent"]
    static let companySuffixes = ["科技有限公司", "贸易有限公司", "实业有限公司", " Trading Ltd", " Holdings Ltd", " Logistics Co."]
    static let carrierPrefixes = ["138", "139", "150", "151", "186", "187", "135", "177"]

    func makeRecords(index: Int, owner: Owner, now: Date, random: inout SplitMix64)
        -> [(EntityKind, UUID, FieldMap)]
    {
        let chinese = random.next(below: 2) == 0
        let enterprise = random.next(below: 10) < 3
        let name: String
        if enterprise {
            name =
                Self.companyStems[random.next(below: Self.companyStems.count)]
                + Self.companySuffixes[random.next(below: Self.companySuffixes.count)]
        } else if chinese {
            name =
                Self.surnames[random.next(below: Self.surnames.count)]
                + Self.givenNames[random.next(below: Self.givenNames.count)]
        } else {
            name =
                Self.firstNames[random.next(below: Self.firstNames.count)] + " "
                + Self.lastNames[random.next(below: Self.lastNames.count)]
        }
        let phone = Self.carrierPrefixes[random.next(below: Self.carrierPrefixes.count)]
            + String(format: "%08d", random.next(below: 100_000_000))
        let email = "customer\(index + 1)@example.\(chinese ? "cn" : "com")"
        let created = now.addingTimeInterval(-Double(random.next(below: 700)) * 86_400)
        let key = random.next(below: 20) == 0
        let sources: [Customer.SourceChannel] = [
            .survey, .marketingEvent, .service, .pointOfSale, .tradeShow, .website, .callCentre, .referral,
        ]
        let customerId = UUID(random: &random)
        var customer = Customer(
            id: customerId, kind: enterprise ? .enterprise : .individual, name: name,
            code: String(format: "C-%06d", index + 1), status: .active,
            sourceChannel: sources[random.next(below: sources.count)], ownerId: owner.staffId, teamId: owner.teamId,
            tierOverride: key ? .key : nil, accountManagerId: key ? (owner.managerId ?? owner.staffId) : nil,
            creditLimit: Int64(random.next(below: 50) + 1) * 1_000_000, paymentTermDays: [0, 15, 30, 60][random.next(below: 4)],
            tags: random.next(below: 3) == 0 ? ["vip"] : [], loyaltyPoints: Int64(random.next(below: 5_000)),
            notes: random.next(below: 4) == 0 ? "Prefers calls after 18:00" : nil, createdAt: created)
        if enterprise {
            customer.enterprise = EnterpriseProfile(
                legalRepresentative: chinese ? "王建国" : "Arthur Green", industry: "Manufacturing",
                personInChargeName: chinese ? "李经理" : "Sarah Hall", personInChargePhone: phone)
        } else {
            customer.individual = IndividualProfile(phones: [phone], emails: [email], address: chinese ? "上海市浦东新区" : "12 Harbour Street")
        }
        var records: [(EntityKind, UUID, FieldMap)] = []
        func add(_ entity: some Entity) {
            if let fields = try? entity.fieldMap() { records.append((type(of: entity).kind, entity.id, fields)) }
        }
        add(customer)
        if enterprise {
            add(
                Contact(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                    name: chinese ? "赵敏" : "Emily Wright", role: .purchaser, phones: [phone], emails: [email],
                    isPrimary: true, createdAt: created))
        }
        let channels: [Interaction.Channel] = [.visit, .phone, .email, .sms, .event, .web]
        for _ in 0..<(1 + random.next(below: 2)) {
            add(
                Interaction(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                    channel: channels[random.next(below: channels.count)], direction: .outbound, purpose: .information,
                    occurredAt: created.addingTimeInterval(Double(random.next(below: 30)) * 86_400),
                    subject: chinese ? "季度回访" : "Quarterly check-in", createdAt: created))
        }
        var lastOrder: UUID?
        for _ in 0..<random.next(below: 3) {
            let amount = Int64(random.next(below: 500) + 10) * 10_000
            let order = Order(
                id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                orderedAt: created.addingTimeInterval(Double(random.next(below: 300)) * 86_400), netAmount: amount,
                grossProfit: amount / 4, createdAt: created)
            lastOrder = order.id
            add(order)
        }
        if random.next(below: 16) == 0 {
            let received = now.addingTimeInterval(-Double(random.next(below: 20) + 1) * 86_400)
            let acknowledged = random.next(below: 2) == 0
            add(
                Complaint(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                    number: String(format: "CP-%06d", index + 1), severity: .medium, orderId: lastOrder,
                    stage: acknowledged ? .acknowledged : .received, receivedAt: received,
                    acknowledgedAt: acknowledged ? received.addingTimeInterval(3_600) : nil, assigneeId: supportAgent,
                    description: chinese ? "送货延迟" : "Late delivery", createdAt: received))
        }
        if random.next(below: 5) == 0 {
            let levels: [SatisfactionSurvey.Level] = [.highlySatisfied, .satisfied, .neutral, .somewhatDissatisfied]
            add(
                SatisfactionSurvey(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                    respondedAt: created.addingTimeInterval(86_400), level: levels[random.next(below: levels.count)],
                    orderId: lastOrder, createdAt: created))
        }
        return records
    }
}

/// A small, fast, seedable generator (SplitMix64), so demo data is reproducible.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension UUID {
    /// A version-4 UUID from a seeded generator.
    init(random: inout SplitMix64) {
        var bytes = [UInt8](repeating: 0, count: 16)
        let high = random.next()
        let low = random.next()
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: high >> (8 * index))
            bytes[index + 8] = UInt8(truncatingIfNeeded: low >> (8 * index))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        self = UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }
}
