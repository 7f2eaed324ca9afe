import Foundation
import RapportModels

/// Makes a believable organisation — teams, staff, customers with Chinese and English names,
/// contacts, interactions, orders, complaints and surveys — from a seed.
///
/// The same seed and sizes always give the same organisation (ids included), so a failing test
/// can be replayed. Dates are spread over the 400 days before ``referenceDate`` (never the wall
/// clock) with millisecond precision, so records survive a JSON round trip unchanged. Every
/// record passes `validate()`.
///
/// ```swift
/// let org = OrganisationGenerator(seed: 42).make(teams: 2, staffPerTeam: 3, customersPerStaff: 5)
/// let mine = org.customers(ownedBy: org.staff[1].id)
/// ```
public struct OrganisationGenerator: Sendable {
    /// The seed every value is derived from.
    public let seed: UInt64
    /// The "now" of the generated data; every date is at or before it.
    public let referenceDate: Date

    /// 2026-01-01T00:00:00Z, the default ``referenceDate``.
    public static let defaultReferenceDate = Date(timeIntervalSinceReferenceDate: 788_918_400)

    /// A generator for `seed`, with data dated up to `referenceDate`.
    public init(seed: UInt64, referenceDate: Date = OrganisationGenerator.defaultReferenceDate) {
        self.seed = seed
        self.referenceDate = RapportJSON.roundedToWirePrecision(referenceDate)
    }

    /// Makes an organisation of `teams` teams of `staffPerTeam` staff (the first of each team is
    /// its manager), each owning `customersPerStaff` customers with their records.
    public func make(teams: Int, staffPerTeam: Int, customersPerStaff: Int) -> GeneratedOrganisation {
        var builder = Builder(rng: SplitMix64(seed: seed), now: referenceDate)
        var organisation = GeneratedOrganisation()
        for teamIndex in 0..<max(teams, 0) {
            let teamId = builder.uuid()
            var members: [GeneratedOrganisation.Staff] = []
            for memberIndex in 0..<max(staffPerTeam, 0) {
                members.append(
                    GeneratedOrganisation.Staff(
                        id: builder.uuid(), name: builder.staffName(), teamId: teamId,
                        isManager: memberIndex == 0))
            }
            organisation.teams.append(
                GeneratedOrganisation.Team(
                    id: teamId,
                    name: Builder.teamNames[teamIndex % Builder.teamNames.count]
                        + (teamIndex >= Builder.teamNames.count ? " \(teamIndex / Builder.teamNames.count + 1)" : ""),
                    managerId: members.first?.id))
            organisation.staff += members
            for member in members {
                for _ in 0..<max(customersPerStaff, 0) {
                    builder.addCustomer(owner: member, team: members, into: &organisation)
                }
            }
        }
        return organisation
    }
}

/// An organisation made by ``OrganisationGenerator``: plain ids and names for teams and staff,
/// and real ``RapportModels`` entities for everything else.
public struct GeneratedOrganisation: Sendable, Hashable {
    /// A team of staff.
    public struct Team: Sendable, Hashable {
        /// The team's id.
        public let id: UUID
        /// The team's name.
        public let name: String
        /// The team's manager, if the team has staff.
        public let managerId: UUID?
    }

    /// A member of staff.
    public struct Staff: Sendable, Hashable {
        /// The staff member's id (used as `ownerId`).
        public let id: UUID
        /// The staff member's name.
        public let name: String
        /// The team the staff member belongs to.
        public let teamId: UUID
        /// Whether the staff member manages the team.
        public let isManager: Bool
    }

    /// The teams.
    public var teams: [Team] = []
    /// The staff, team by team, managers first.
    public var staff: [Staff] = []
    /// The customers.
    public var customers: [Customer] = []
    /// Contacts of enterprise customers.
    public var contacts: [Contact] = []
    /// The communication log.
    public var interactions: [Interaction] = []
    /// Orders.
    public var orders: [Order] = []
    /// Complaints at every stage.
    public var complaints: [Complaint] = []
    /// Satisfaction survey answers.
    public var surveys: [SatisfactionSurvey] = []

    /// The customers `staffId` owns.
    public func customers(ownedBy staffId: UUID) -> [Customer] {
        customers.filter { $0.ownerId == staffId }
    }

    /// The staff of `teamId`.
    public func staff(in teamId: UUID) -> [Staff] {
        staff.filter { $0.teamId == teamId }
    }

    /// Every record as `any Entity`, customers first.
    public var allEntities: [any Entity] {
        customers as [any Entity] + contacts + interactions + orders + complaints + surveys
    }
}

/// The SplitMix64 pseudo-random generator: tiny, fast, and the same sequence on every platform
/// for a given seed (unlike `SystemRandomNumberGenerator`).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private struct Builder {
    var rng: SplitMix64
    let now: Date
    var serial = 0

    static let teamNames = ["华东大区 East", "华南大区 South", "华北大区 North", "西部大区 West", "Key Accounts"]
    static let surnames = [
        ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
        ("赵", "zhao"), ("黄", "huang"), ("周", "zhou"), ("吴", "wu"), ("徐", "xu"), ("孙", "sun"),
    ]
    static let givenNames = [
        ("芳", "fang"), ("伟", "wei"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("强", "qiang"),
        ("磊", "lei"), ("洋", "yang"), ("艳", "yan"), ("勇", "yong"), ("军", "jun"), ("杰", "jie"),
        ("婷", "ting"), ("浩然", "haoran"), ("子涵", "zihan"), ("雨桐", "yutong"),
    ]
    static let englishFirst = [
        "Emma", "Oliver", "Sophie", "James", "Grace", "Daniel", "Chloe", "Thomas", "Lucy", "Henry",
    ]
    static let englishLast = [
        "Smith", "Brown", "Taylor", "Wilson", "Evans", "Walker", "Wright", "Hughes", "Green", "Hall",
    ]
    static let companyStems = ["华辰", "恒通", "瑞丰", "中联", "金桥", "远航", "新元", "博达", "安信", "天成"]
    static let companyTrades = [
        ("贸易", "Trading"), ("科技", "Technology"), ("机械", "Machinery"), ("食品", "Foods"), ("物流", "Logistics"),
    ]
    static let cities = [
        ("上海", "Shanghai"), ("深圳", "Shenzhen"), ("北京", "Beijing"), ("杭州", "Hangzhou"), ("成都", "Chengdu"),
    ]
    static let englishCompanies = ["Northwind", "Harbour", "Silverline", "Redwood", "Bluebell"]
    static let hobbies = ["高尔夫", "茶艺", "摄影", "跑步", "reading", "sailing", "书法", "钓鱼"]
    static let traits = ["detail-oriented", "果断", "谨慎", "健谈", "price-conscious"]
    static let categories = ["quality", "delivery", "billing", "service"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < probability }
    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }

    mutating func uuid() -> UUID {
        let a = rng.next()
        let b = rng.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<8 {
            bytes[index] = UInt8(truncatingIfNeeded: a >> (8 * index))
            bytes[index + 8] = UInt8(truncatingIfNeeded: b >> (8 * index))
        }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    /// A millisecond-precise date `daysAgo` days (plus a random part of a day) before now.
    mutating func date(daysAgo range: ClosedRange<Int>) -> Date {
        let millis = Int64(int(range)) * 86_400_000 + Int64(int(0...86_399_999))
        return now.addingTimeInterval(-Double(millis) / 1000).roundedToMillisecond
    }

    mutating func later(_ date: Date, hours range: ClosedRange<Int>) -> Date {
        let millis = Int64(int(range)) * 3_600_000 + Int64(int(0...3_599_999))
        return min(date.addingTimeInterval(Double(millis) / 1000), now).roundedToMillisecond
    }

    mutating func staffName() -> String {
        chance(0.7)
            ? pick(Self.surnames).0 + pick(Self.givenNames).0
            : pick(Self.englishFirst) + " " + pick(Self.englishLast)
    }

    mutating func chineseMobile() -> String {
        let prefix = pick(["138", "139", "186", "150", "177", "199"])
        let rest = (0..<8).map { _ in String(int(0...9)) }.joined()
        return chance(0.3) ? "+86" + prefix + rest : prefix + rest
    }

    mutating func ukPhone() -> String {
        "+447" + (0..<9).map { _ in String(int(0...9)) }.joined()
    }

    mutating func creditCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var body = "91" + String(int(110_000...659_999))
        while body.count < 17 { body.append(pick(alphabet)) }
        return body + String(IdentityNumber.unifiedSocialCreditCheckCharacter(forFirst17: body)!)
    }

    mutating func residentId(born: CalendarDate) -> String {
        let region = String(int(110_000...659_999))
        let order = String(format: "%03d", int(0...999))
        let body = region + String(born.description.filter(\.isNumber)) + order
        return body + String(IdentityNumber.residentIdCheckCharacter(forFirst17: body)!)
    }

    mutating func addCustomer(
        owner: GeneratedOrganisation.Staff, team: [GeneratedOrganisation.Staff],
        into organisation: inout GeneratedOrganisation
    ) {
        serial += 1
        let createdAt = date(daysAgo: 30...400)
        let id = uuid()
        let isEnterprise = chance(0.4)
        let source = pick(Customer.SourceChannel.allCases)
        var customer: Customer
        if isEnterprise {
            let city = pick(Self.cities)
            let trade = pick(Self.companyTrades)
            let chineseName = chance(0.75)
            let name =
                chineseName
                ? city.0 + pick(Self.companyStems) + trade.0 + "有限公司"
                : pick(Self.englishCompanies) + " " + trade.1 + " Ltd."
            let chargeName = pick(Self.surnames).0 + pick(Self.givenNames).0
            customer = Customer(
                id: id, kind: .enterprise, name: name, code: String(format: "C-%06d", serial),
                status: pick([.active, .active, .active, .prospect, .dormant]),
                sourceChannel: source, ownerId: owner.id, teamId: owner.teamId,
                creditLimit: Int64(int(5...500)) * 1_000_000, paymentTermDays: pick([30, 45, 60, 90]),
                tags: chance(0.5) ? [pick(["wholesale", "export", "华东", "strategic"])] : [],
                createdAt: createdAt,
                enterprise: EnterpriseProfile(
                    unifiedSocialCreditCode: creditCode(),
                    legalRepresentative: pick(Self.surnames).0 + pick(Self.givenNames).0,
                    registeredAddress: city.0 + "市" + pick(["浦东新区", "南山区", "朝阳区", "西湖区"]) + "\(int(1...999))号",
                    establishedOn: CalendarDate(year: int(1990...2020), month: int(1...12), day: int(1...28)),
                    registeredCapital: Int64(int(1...500)) * 100_000_000,
                    industry: trade.1.lowercased(), ownershipType: pick(EnterpriseProfile.OwnershipType.allCases),
                    employeeBand: pick(EnterpriseProfile.EmployeeBand.allCases),
                    mainProducts: [trade.1], operatingStatus: .operating,
                    annualRevenue: Int64(int(1...900)) * 1_000_000_00,
                    creditRating: pick(EnterpriseProfile.CreditRating.allCases),
                    personInChargeName: chargeName, personInChargeTitle: pick(["采购经理", "总经理", "Head of Purchasing"]),
                    personInChargePhone: chineseMobile()))
            for index in 0..<int(1...3) {
                let surname = pick(Self.surnames)
                let given = pick(Self.givenNames)
                organisation.contacts.append(
                    Contact(
                        id: uuid(), customerId: id, ownerId: owner.id,
                        name: index == 0 ? chargeName : surname.0 + given.0,
                        role: index == 0 ? .personInCharge : pick([.decisionMaker, .purchaser, .finance]),
                        title: pick(["经理", "主管", "Director"]), phones: [chineseMobile()],
                        emails: ["\(given.1).\(surname.1)\(serial)@example.cn"], isPrimary: index == 0,
                        createdAt: later(createdAt, hours: 0...48)))
            }
        } else {
            let chinese = chance(0.7)
            let born = CalendarDate(year: int(1950...2003), month: int(1...12), day: int(1...28))!
            let name: String
            let email: String
            let phone: String
            if chinese {
                let surname = pick(Self.surnames)
                let given = pick(Self.givenNames)
                name = surname.0 + given.0
                email = "\(given.1).\(surname.1)\(serial)@example.cn"
                phone = chineseMobile()
            } else {
                let first = pick(Self.englishFirst)
                let last = pick(Self.englishLast)
                name = first + " " + last
                email = "\(first.lowercased()).\(last.lowercased())\(serial)@example.co.uk"
                phone = ukPhone()
            }
            customer = Customer(
                id: id, kind: .individual, name: name, status: pick([.active, .active, .prospect, .lost]),
                sourceChannel: source, ownerId: owner.id, teamId: owner.teamId,
                creditLimit: chance(0.3) ? Int64(int(1...50)) * 100_000 : nil,
                tags: chance(0.3) ? [pick(["vip", "会员", "newsletter"])] : [],
                loyaltyPoints: Int64(int(0...5_000)), notes: chance(0.2) ? "Prefers calls after 18:00." : nil,
                createdAt: createdAt,
                individual: IndividualProfile(
                    gender: pick(IndividualProfile.Gender.allCases), birthDate: born,
                    idType: chinese ? .residentIdCard : .passport,
                    idNumber: chinese ? residentId(born: born) : "P" + String(int(10_000_000...99_999_999)),
                    phones: [phone], emails: [email],
                    address: chinese
                        ? pick(Self.cities).0 + "市某路\(int(1...300))号" : "\(int(1...200)) High Street, London",
                    incomeBand: pick(IndividualProfile.IncomeBand.allCases),
                    educationLevel: pick(IndividualProfile.EducationLevel.allCases),
                    occupation: pick(["engineer", "教师", "医生", "designer", "店主"]),
                    maritalStatus: pick(IndividualProfile.MaritalStatus.allCases),
                    childrenCount: int(0...3), hobbies: [pick(Self.hobbies)],
                    personalityTraits: chance(0.5) ? [pick(Self.traits)] : []))
        }
        if chance(0.1) { customer.accountManagerId = pick(team).id }
        organisation.customers.append(customer)
        addActivity(for: customer, enterprise: isEnterprise, into: &organisation)
    }

    mutating func addActivity(
        for customer: Customer, enterprise: Bool, into organisation: inout GeneratedOrganisation
    ) {
        let age = Int(now.timeIntervalSince(customer.createdAt) / 86_400)
        var orderIds: [UUID] = []
        for _ in 0..<int(0...(enterprise ? 12 : 5)) {
            let net = Int64(int(1...(enterprise ? 5_000 : 200))) * 10_000
            let margin = Int64(int(-5...35))
            let order = Order(
                id: uuid(), customerId: customer.id, ownerId: customer.ownerId,
                number: "SO-\(serial)-\(orderIds.count + 1)",
                status: chance(0.05) ? .cancelled : pick([.placed, .fulfilled, .fulfilled]),
                orderedAt: date(daysAgo: 0...max(age - 1, 0)), netAmount: net,
                discount: chance(0.3) ? net / 20 : 0, grossProfit: net * margin / 100,
                invoiced: chance(0.8), createdAt: customer.createdAt)
            orderIds.append(order.id)
            organisation.orders.append(order)
        }
        for _ in 0..<int(0...3) {
            organisation.interactions.append(
                Interaction(
                    id: uuid(), customerId: customer.id, ownerId: customer.ownerId,
                    channel: pick(Interaction.Channel.allCases), direction: pick(Interaction.Direction.allCases),
                    purpose: pick(Interaction.Purpose.allCases), occurredAt: date(daysAgo: 0...max(age - 1, 0)),
                    durationMinutes: int(5...90), subject: pick(["季度回访", "Price update", "新品介绍", "Follow-up"]),
                    summary: chance(0.5) ? "客户对交期表示关注。" : nil, createdAt: customer.createdAt))
        }
        if chance(0.25) {
            let receivedAt = date(daysAgo: 0...max(age - 1, 0))
            let stage = pick(Complaint.Stage.allCases)
            var complaint = Complaint(
                id: uuid(), customerId: customer.id, ownerId: customer.ownerId,
                number: "CP-\(serial)", severity: pick(Complaint.Severity.allCases),
                category: pick(Self.categories), orderId: orderIds.first, receivedAt: receivedAt,
                responseDueAt: receivedAt.addingTimeInterval(24 * 3600),
                resolutionDueAt: receivedAt.addingTimeInterval(5 * 86_400),
                description: "Delivery arrived damaged.", createdAt: receivedAt)
            var time = receivedAt
            for next in Complaint.Stage.allCases where next > .received && next <= stage {
                time = later(time, hours: 0...72)
                try? complaint.advance(to: next, at: time)
            }
            complaint = complaint.updatingBreaches(at: now)
            organisation.complaints.append(complaint)
        }
        if chance(0.4) {
            organisation.surveys.append(
                SatisfactionSurvey(
                    id: uuid(), customerId: customer.id, ownerId: customer.ownerId,
                    respondedAt: date(daysAgo: 0...max(age - 1, 0)),
                    level: pick([
                        .highlySatisfied, .satisfied, .satisfied, .neutral, .somewhatDissatisfied, .veryDissatisfied,
                    ]),
                    orderId: orderIds.last, createdAt: customer.createdAt))
        }
    }
}

extension Date {
    fileprivate var roundedToMillisecond: Date { RapportJSON.roundedToWirePrecision(self) }
}
