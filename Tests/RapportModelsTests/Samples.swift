import Foundation
import RapportModels

/// Hand-made records for the model tests: `full` sets every optional field (so encoding shows
/// every key), `minimal` sets only what is required.
enum Samples {
    static func date(_ text: String) -> Date {
        guard let date = RapportJSON.date(from: text) else { fatalError("bad sample date \(text)") }
        return date
    }

    static let created = date("2025-06-01T09:00:00.125Z")
    static let updated = date("2025-06-02T10:30:00Z")
    static let deleted = date("2025-07-01T00:00:00Z")
    static let staff = UUID(uuidString: "00000000-0000-4000-8000-000000000001")!
    static let otherStaff = UUID(uuidString: "00000000-0000-4000-8000-000000000002")!
    static let team = UUID(uuidString: "00000000-0000-4000-8000-0000000000a1")!
    static let customerId = UUID(uuidString: "00000000-0000-4000-8000-00000000c001")!
    static let orderId = UUID(uuidString: "00000000-0000-4000-8000-00000000d001")!
    static let custom: [String: JSONValue] = ["region": "east", "visits": 3, "vip": true]

    static let residentId = "11010519491231002X"
    static let creditCode = "91350100M000100Y43"

    static func individualProfile() -> IndividualProfile {
        IndividualProfile(
            gender: .female, birthDate: CalendarDate(year: 1988, month: 2, day: 29),
            idType: .residentIdCard, idNumber: residentId,
            phones: ["13800138000", "+44 20 7183 8750"], emails: ["wang.fang@example.cn"],
            address: "上海市浦东新区世纪大道100号", incomeBand: .from20kTo50k,
            purchasePreferences: ["organic"], educationLevel: .master, school: "复旦大学",
            occupation: "engineer", employer: "华辰科技", jobTitle: "Lead engineer",
            maritalStatus: .married, childrenCount: 1, hobbies: ["茶艺", "running"],
            personalityTraits: ["detail-oriented"],
            relationships: [
                PersonRelationship(name: "李强", relation: .spouse, customerId: orderId, note: "也是客户")
            ])
    }

    static func enterpriseProfile() -> EnterpriseProfile {
        EnterpriseProfile(
            unifiedSocialCreditCode: creditCode, legalRepresentative: "张伟",
            registeredAddress: "深圳市南山区科技园1号", establishedOn: CalendarDate("2005-05-20"),
            registeredCapital: 1_000_000_000, industry: "machinery", ownershipType: .privatelyOwned,
            employeeBand: .from100To299, mainProducts: ["pumps", "valves"],
            operatingStatus: .operating, annualRevenue: 52_000_000_000, creditRating: .aa,
            tradingSince: CalendarDate("2019-01-15"), personInChargeName: "李强",
            personInChargeTitle: "采购经理", personInChargePhone: "+8613912345678",
            personInChargeContactId: orderId)
    }

    static func individualCustomer() -> Customer {
        Customer(
            id: customerId, kind: .individual, name: "王芳", code: "C-000001", status: .active,
            sourceChannel: .referral, ownerId: staff, teamId: team, tier: .key, tierOverride: .normal,
            accountManagerId: otherStaff, creditLimit: 5_000_000, paymentTermDays: 30,
            tags: ["vip", "华东"], loyaltyPoints: 1_200, notes: "Prefers WeChat.",
            createdAt: created, updatedAt: updated, deletedAt: deleted, version: 7,
            createdBy: staff, updatedBy: otherStaff, customFields: custom,
            individual: individualProfile())
    }

    static func enterpriseCustomer() -> Customer {
        var customer = individualCustomer()
        customer.kind = .enterprise
        customer.name = "深圳博达机械有限公司"
        customer.individual = nil
        customer.enterprise = enterpriseProfile()
        return customer
    }

    static func contact() -> Contact {
        Contact(
            customerId: customerId, ownerId: staff, name: "李强", role: .purchaser, title: "采购经理",
            department: "采购部", phones: ["+86 139 1234 5678"], emails: ["li.qiang@example.cn"],
            isPrimary: true, notes: "Call mornings.", createdAt: created, updatedAt: updated,
            deletedAt: deleted, version: 3, createdBy: staff, updatedBy: staff, customFields: custom)
    }

    static func interaction() -> Interaction {
        Interaction(
            customerId: customerId, ownerId: staff, contactId: orderId, channel: .visit,
            direction: .outbound, purpose: .emotional, occurredAt: date("2025-06-03T14:00:00Z"),
            durationMinutes: 45, subject: "中秋拜访", summary: "Discussed the new catalogue.",
            createdAt: created, updatedAt: updated, deletedAt: deleted, version: 1, createdBy: staff,
            updatedBy: staff, customFields: custom)
    }

    static func complaint() -> Complaint {
        let received = date("2025-06-01T09:00:00Z")
        return Complaint(
            customerId: customerId, ownerId: staff, number: "CP-2025-0001", severity: .high,
            category: "delivery", orderId: orderId, stage: .closed, receivedAt: received,
            acknowledgedAt: date("2025-06-01T10:00:00Z"), investigatingAt: date("2025-06-01T11:00:00Z"),
            resolvedAt: date("2025-06-03T09:00:00Z"), followedUpAt: date("2025-06-05T09:00:00Z"),
            closedAt: date("2025-06-05T09:30:00Z"), responseDueAt: date("2025-06-01T13:00:00Z"),
            resolutionDueAt: date("2025-06-04T09:00:00Z"), responseBreached: false,
            resolutionBreached: false, assigneeId: otherStaff, description: "Parcel arrived damaged.",
            resolution: "Replaced the goods.", createdAt: created, updatedAt: updated,
            deletedAt: deleted, version: 5, createdBy: staff, updatedBy: otherStaff, customFields: custom)
    }

    static func order() -> Order {
        Order(
            id: orderId, customerId: customerId, ownerId: staff, number: "SO-1", status: .fulfilled,
            orderedAt: date("2025-06-02T08:00:00Z"), netAmount: 1_250_000, discount: 50_000,
            grossProfit: -20_000, invoiced: true, createdAt: created, updatedAt: updated,
            deletedAt: deleted, version: 2, createdBy: staff, updatedBy: staff, customFields: custom)
    }

    static func receivable() -> Receivable {
        Receivable(
            customerId: customerId, ownerId: staff, orderId: orderId, invoiceNumber: "INV-1",
            issuedAt: date("2025-06-02T08:00:00Z"), dueAt: date("2025-07-02T08:00:00Z"),
            amount: 1_250_000, outstanding: 250_000, createdAt: created, updatedAt: updated,
            deletedAt: deleted, version: 2, createdBy: staff, updatedBy: staff, customFields: custom)
    }

    static func salesPlan() -> SalesPlan {
        SalesPlan(
            customerId: customerId, ownerId: staff, periodStart: date("2025-01-01T00:00:00Z"),
            periodEnd: date("2026-01-01T00:00:00Z"), plannedAmount: 10_000_000, createdAt: created,
            updatedAt: updated, deletedAt: deleted, version: 1, createdBy: staff, updatedBy: staff,
            customFields: custom)
    }

    static func expense() -> Expense {
        Expense(
            customerId: customerId, ownerId: staff, amount: 80_000, status: .approved,
            category: .entertainment, incurredAt: date("2025-06-04T19:00:00Z"), approverId: otherStaff,
            description: "Dinner with purchasing.", createdAt: created, updatedAt: updated,
            deletedAt: deleted, version: 1, createdBy: staff, updatedBy: otherStaff, customFields: custom)
    }

    static func expenseBudget() -> ExpenseBudget {
        ExpenseBudget(
            customerId: customerId, ownerId: staff, periodStart: date("2025-01-01T00:00:00Z"),
            periodEnd: date("2025-07-01T00:00:00Z"), amount: 500_000, createdAt: created,
            updatedAt: updated, deletedAt: deleted, version: 1, createdBy: staff, updatedBy: staff,
            customFields: custom)
    }

    static func satisfactionSurvey() -> SatisfactionSurvey {
        SatisfactionSurvey(
            customerId: customerId, ownerId: staff, respondedAt: date("2025-06-06T12:00:00Z"),
            level: .satisfied, orderId: orderId, complaintId: orderId, comment: "Quick fix, thanks.",
            createdAt: created, updatedAt: updated, deletedAt: deleted, version: 1, createdBy: staff,
            updatedBy: staff, customFields: custom)
    }

    static func loyaltyAccount() -> LoyaltyAccount {
        LoyaltyAccount(
            customerId: customerId, ownerId: staff, cardNumber: "M-0001", membershipLevel: .gold,
            enrolledAt: date("2024-03-01T00:00:00Z"), priceSensitivity: 4, competitorAttitude: 2,
            qualityTolerance: 3, createdAt: created, updatedAt: updated, deletedAt: deleted,
            version: 1, createdBy: staff, updatedBy: staff, customFields: custom)
    }

    static func pointsTransaction() -> PointsTransaction {
        PointsTransaction(
            customerId: customerId, ownerId: staff, accountId: orderId, points: 120, reason: .purchase,
            occurredAt: date("2025-06-02T08:00:00Z"), orderId: orderId, note: "SO-1",
            createdAt: created, updatedAt: updated, deletedAt: deleted, version: 1, createdBy: staff,
            updatedBy: staff, customFields: custom)
    }

    /// A sample of `kind` with every optional field set. Customers get an individual profile;
    /// ``enterpriseCustomer()`` covers the other.
    static func full(_ kind: EntityKind) -> any Entity {
        switch kind {
        case .customer: individualCustomer()
        case .contact: contact()
        case .interaction: interaction()
        case .complaint: complaint()
        case .order: order()
        case .receivable: receivable()
        case .salesPlan: salesPlan()
        case .expense: expense()
        case .expenseBudget: expenseBudget()
        case .satisfactionSurvey: satisfactionSurvey()
        case .loyaltyAccount: loyaltyAccount()
        case .pointsTransaction: pointsTransaction()
        }
    }

    /// Every full sample, both customer kinds included.
    static var all: [any Entity] {
        [enterpriseCustomer()] + EntityKind.allCases.map(full)
    }

    /// Records with only their required fields, all valid.
    static var minimal: [any Entity] {
        let at = created
        return [
            Customer(
                kind: .individual, name: "Emma Smith", sourceChannel: .website, ownerId: staff,
                teamId: team, createdAt: at, individual: IndividualProfile()),
            Customer(
                kind: .enterprise, name: "Northwind Ltd.", sourceChannel: .tradeShow, ownerId: staff,
                teamId: team, createdAt: at, enterprise: EnterpriseProfile()),
            Contact(customerId: customerId, ownerId: staff, name: "Li", role: .finance, createdAt: at),
            Interaction(
                customerId: customerId, ownerId: staff, channel: .sms, direction: .inbound,
                purpose: .information, occurredAt: at, createdAt: at),
            Complaint(
                customerId: customerId, ownerId: staff, number: "CP-1", severity: .low, receivedAt: at,
                createdAt: at),
            Order(customerId: customerId, ownerId: staff, orderedAt: at, netAmount: 0, createdAt: at),
            Receivable(
                customerId: customerId, ownerId: staff, issuedAt: at, dueAt: at, amount: 10,
                outstanding: 10, createdAt: at),
            SalesPlan(
                customerId: customerId, ownerId: staff, periodStart: at,
                periodEnd: at.addingTimeInterval(86_400), plannedAmount: 0, createdAt: at),
            Expense(
                customerId: customerId, ownerId: staff, amount: 0, category: .other, incurredAt: at,
                createdAt: at),
            ExpenseBudget(
                customerId: customerId, ownerId: staff, periodStart: at,
                periodEnd: at.addingTimeInterval(86_400), amount: 0, createdAt: at),
            SatisfactionSurvey(
                customerId: customerId, ownerId: staff, respondedAt: at, level: .neutral, createdAt: at),
            LoyaltyAccount(customerId: customerId, ownerId: staff, enrolledAt: at, createdAt: at),
            PointsTransaction(
                customerId: customerId, ownerId: staff, accountId: orderId, points: -5,
                reason: .redemption, occurredAt: at, createdAt: at),
        ]
    }
}
