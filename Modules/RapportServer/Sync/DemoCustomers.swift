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
/// receivables, purchase plans, expense budgets and expenses, complaints (assigned to the
/// support agent), satisfaction surveys; about one customer in twenty is a key customer managed
/// by the owner's team manager when there is one. The history spans 2.7 years, with customers
/// of six behaviours (``orderHistory(ageDays:random:)``), so every tier of the value pyramid,
/// the RFM segments and the four early warnings have members (Docs/Insights.md).
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
    /// written. The history (customers joining, orders, visits, receivables, plans, budgets)
    /// spans the 2.7 years before `now`, the seeding clock.
    @discardableResult
    public func seed(into server: SyncServer, now: Date = Date()) async throws -> Int {
        guard !owners.isEmpty else { return 0 }
        var random = SplitMix64(seed: seed)
        var written = 0
        for index in 0..<count {
            let owner = owners[index % owners.count]
            let records = makeRecords(index: index, owner: owner, now: now, random: &random)
            for (kind, id, fields) in records {
                let key = RecordKey(kind, id)
                try await server.serverWrite(key, fields: fields)
                // A create is stamped with the server's clock; the value pyramid ranks customers
                // by how long they have been customers, so give each its own joining date.
                if kind == .customer, let createdAt = fields["createdAt"] {
                    try await server.serverWrite(key, fields: ["createdAt": createdAt])
                }
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
        // About one customer in twenty is younger than the 90 days the value pyramid ranks by;
        // the rest joined over the last 2.7 years.
        let ageDays = random.next(below: 20) == 0 ? 10 + random.next(below: 80) : 120 + random.next(below: 880)
        let created = now.addingTimeInterval(-Double(ageDays) * 86_400)
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
        for _ in 0..<(1 + random.next(below: 3)) {
            add(
                Interaction(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                    channel: channels[random.next(below: channels.count)], direction: .outbound, purpose: .information,
                    occurredAt: created.addingTimeInterval(Double(random.next(below: ageDays)) * 86_400),
                    subject: chinese ? "季度回访" : "Quarterly check-in", createdAt: created))
        }
        let history = Self.orderHistory(ageDays: ageDays, random: &random)
        // Value is heavy-tailed, as in real books: a few customers bring most of the profit.
        let scale = Int64([1, 1, 1, 1, 1, 1, 2, 2, 3, 5, 12, 40][random.next(below: 12)])
        let marginPercent = Int64(8 + random.next(below: 30))
        var lastOrder: UUID?
        var lastAmount: Int64 = 0
        var yearRevenue: Int64 = 0
        for daysAgo in history {
            let amount = Int64(random.next(below: 500) + 10) * 10_000 * scale
            let orderedAt = now.addingTimeInterval(-Double(daysAgo) * 86_400 - Double(random.next(below: 36_000)))
            let order = Order(
                id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                orderedAt: orderedAt, netAmount: amount, grossProfit: amount * marginPercent / 100,
                invoiced: true, createdAt: orderedAt)
            lastOrder = order.id
            lastAmount = amount
            if daysAgo < 365 { yearRevenue += amount }
            add(order)
        }
        // Receivables: the last order is partly unpaid for one customer in four; one in
        // twenty-five owes more than its credit limit allows.
        if let lastOrder, let daysAgo = history.last, random.next(below: 4) == 0 {
            let issued = now.addingTimeInterval(-Double(daysAgo) * 86_400)
            let overLimit = random.next(below: 6) == 0
            let outstanding = overLimit ? customer.creditLimit! * Int64(95 + random.next(below: 30)) / 100 : lastAmount / 2
            add(
                Receivable(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId, orderId: lastOrder,
                    issuedAt: issued, dueAt: issued.addingTimeInterval(Double(customer.paymentTermDays ?? 30) * 86_400),
                    amount: max(outstanding, lastAmount), outstanding: outstanding, createdAt: issued))
        }
        // A purchase plan for this year for one active customer in five, some of them ambitious.
        let yearStart = now.addingTimeInterval(-200 * 86_400)
        if yearRevenue > 0, random.next(below: 5) == 0 {
            add(
                SalesPlan(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId, periodStart: yearStart,
                    periodEnd: yearStart.addingTimeInterval(365 * 86_400),
                    plannedAmount: yearRevenue * Int64(100 + random.next(below: 200)) / 100, createdAt: yearStart))
        }
        // An expense budget with its expenses for one customer in ten; some run over.
        if random.next(below: 10) == 0 {
            let budget = Int64(5 + random.next(below: 20)) * 100_000
            add(
                ExpenseBudget(
                    id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId, periodStart: yearStart,
                    periodEnd: yearStart.addingTimeInterval(365 * 86_400), amount: budget, createdAt: yearStart))
            let spent = budget * Int64(40 + random.next(below: 90)) / 100
            let parts = 1 + random.next(below: 3)
            for part in 0..<parts {
                let incurred = now.addingTimeInterval(-Double(5 + random.next(below: 190)) * 86_400)
                add(
                    Expense(
                        id: UUID(random: &random), customerId: customerId, ownerId: owner.staffId,
                        amount: spent / Int64(parts) + (part == 0 ? spent % Int64(parts) : 0), status: .approved,
                        category: [.travel, .entertainment][random.next(below: 2)], incurredAt: incurred,
                        approverId: owner.managerId ?? owner.staffId, createdAt: incurred))
            }
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

    /// Days before the seeding moment of a customer's orders, oldest first, for one of six
    /// behaviours drawn at random, so the value pyramid, the RFM grid and the churn rule all
    /// have something to show: champions (frequent and recent), regulars, lapsed customers who
    /// stopped months ago, occasional buyers, recent first-time buyers, and dormant ones.
    static func orderHistory(ageDays: Int, random: inout SplitMix64) -> [Int] {
        let profile = random.next(below: 100)
        let (count, gap, lastDaysAgo): (Int, ClosedRange<Int>, Int) =
            switch profile {
            case 0..<15: (8 + random.next(below: 5), 20...45, random.next(below: 20))
            case 15..<40: (4 + random.next(below: 4), 45...110, random.next(below: 80))
            case 40..<55: (3 + random.next(below: 4), 25...80, 150 + random.next(below: 300))
            case 55..<80: (1 + random.next(below: 2), 60...300, random.next(below: 400))
            case 80..<90: (1 + random.next(below: 2), 10...30, random.next(below: 45))
            default: (0, 1...1, 0)
            }
        var days: [Int] = []
        var day = min(lastDaysAgo, max(ageDays - 1, 0))
        for _ in 0..<count where day < ageDays {
            days.append(day)
            day += gap.lowerBound + random.next(below: gap.count)
        }
        return days.reversed()
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
