import Foundation
import RapportModels
import Testing

/// One invalid record and the error it must produce.
struct InvalidCase: Sendable, CustomTestStringConvertible {
    let label: String
    let field: String
    let rule: ValidationError.Rule
    let make: @Sendable () -> any Entity

    init(_ label: String, _ field: String, _ rule: ValidationError.Rule, _ make: @escaping @Sendable () -> any Entity) {
        self.label = label
        self.field = field
        self.rule = rule
        self.make = make
    }

    var testDescription: String { label }
}

private func customer(_ change: (inout Customer) -> Void) -> Customer {
    var value = Samples.individualCustomer()
    change(&value)
    return value
}

private func enterprise(_ change: (inout Customer) -> Void) -> Customer {
    var value = Samples.enterpriseCustomer()
    change(&value)
    return value
}

private func complaint(_ change: (inout Complaint) -> Void) -> Complaint {
    var value = Samples.complaint()
    change(&value)
    return value
}

@Suite("Validation")
struct ValidationTests {
    static let cases: [InvalidCase] = [
        InvalidCase("blank name", "name", .required) { customer { $0.name = "  " } },
        InvalidCase("long name", "name", .length) { customer { $0.name = String(repeating: "名", count: 201) } },
        InvalidCase("blank code", "code", .length) { customer { $0.code = "" } },
        InvalidCase("negative credit limit", "creditLimit", .nonNegative) { customer { $0.creditLimit = -1 } },
        InvalidCase("payment terms over a year", "paymentTermDays", .range) { customer { $0.paymentTermDays = 400 } },
        InvalidCase("negative points", "loyaltyPoints", .nonNegative) { customer { $0.loyaltyPoints = -10 } },
        InvalidCase("long tag", "tags", .length) { customer { $0.tags.insert(String(repeating: "x", count: 51)) } },
        InvalidCase("bad custom key", "customFields.Bad-Key", .format) { customer { $0.customFields["Bad-Key"] = 1 } },
        InvalidCase("updated before created", "updatedAt", .timestampOrder) {
            customer { $0.updatedAt = $0.createdAt.addingTimeInterval(-1) }
        },
        InvalidCase("negative version", "version", .nonNegative) { customer { $0.version = -1 } },
        InvalidCase("individual without profile", "individual", .profileMismatch) { customer { $0.individual = nil } },
        InvalidCase("individual with enterprise profile", "enterprise", .profileMismatch) {
            customer { $0.enterprise = EnterpriseProfile() }
        },
        InvalidCase("enterprise without profile", "enterprise", .profileMismatch) {
            enterprise { $0.enterprise = nil }
        },
        InvalidCase("enterprise with individual profile", "individual", .profileMismatch) {
            enterprise { $0.individual = IndividualProfile() }
        },
        InvalidCase("malformed e-mail", "individual.emails", .emailFormat) {
            customer { $0.individual?.emails = ["wang.fang@"] }
        },
        InvalidCase("duplicate e-mail", "individual.emails", .duplicate) {
            customer { $0.individual?.emails = ["a@example.cn", "A@example.cn"] }
        },
        InvalidCase("malformed phone", "individual.phones", .phoneFormat) {
            customer { $0.individual?.phones = ["12800138000"] }
        },
        InvalidCase("same phone twice in two spellings", "individual.phones", .duplicate) {
            customer { $0.individual?.phones = ["13800138000", "+86 138 0013 8000"] }
        },
        InvalidCase("bad resident ID check digit", "individual.idNumber", .format) {
            customer { $0.individual?.idNumber = "110105194912310021" }
        },
        InvalidCase("birth date before 1900", "individual.birthDate", .range) {
            customer { $0.individual?.birthDate = CalendarDate(year: 1850, month: 1, day: 1) }
        },
        InvalidCase("too many children", "individual.childrenCount", .range) {
            customer { $0.individual?.childrenCount = -1 }
        },
        InvalidCase("blank hobby", "individual.hobbies", .required) { customer { $0.individual?.hobbies = [""] } },
        InvalidCase("relationship without name", "individual.relationships", .required) {
            customer { $0.individual?.relationships = [PersonRelationship(name: " ", relation: .friend)] }
        },
        InvalidCase("bad credit code", "enterprise.unifiedSocialCreditCode", .format) {
            enterprise { $0.enterprise?.unifiedSocialCreditCode = "91350100M000100Y44" }
        },
        InvalidCase("negative revenue", "enterprise.annualRevenue", .nonNegative) {
            enterprise { $0.enterprise?.annualRevenue = -5 }
        },
        InvalidCase("bad person-in-charge phone", "enterprise.personInChargePhone", .phoneFormat) {
            enterprise { $0.enterprise?.personInChargePhone = "555-1234" }
        },
        InvalidCase("contact without name", "name", .required) {
            var value = Samples.contact()
            value.name = ""
            return value
        },
        InvalidCase("contact e-mail", "emails", .emailFormat) {
            var value = Samples.contact()
            value.emails = ["li qiang@example.cn"]
            return value
        },
        InvalidCase("contact phone", "phones", .phoneFormat) {
            var value = Samples.contact()
            value.phones = ["+0123456789"]
            return value
        },
        InvalidCase("interaction lasting two days", "durationMinutes", .range) {
            var value = Samples.interaction()
            value.durationMinutes = 2_880
            return value
        },
        InvalidCase("complaint without number", "number", .required) {
            Complaint(
                customerId: Samples.customerId, ownerId: Samples.staff, number: "", severity: .low,
                receivedAt: Samples.created, createdAt: Samples.created)
        },
        InvalidCase("resolved before acknowledged", "resolvedAt", .timestampOrder) {
            complaint { $0.resolvedAt = $0.acknowledgedAt?.addingTimeInterval(-60) }
        },
        InvalidCase("stage without its timestamp", "followedUpAt", .required) { complaint { $0.followedUpAt = nil } },
        InvalidCase("timestamp of a later stage", "closedAt", .stageOrder) { complaint { $0.stage = .followedUp } },
        InvalidCase("response due before receipt", "responseDueAt", .timestampOrder) {
            complaint { $0.responseDueAt = $0.receivedAt.addingTimeInterval(-1) }
        },
        InvalidCase("negative order amount", "netAmount", .nonNegative) {
            var value = Samples.order()
            value.netAmount = -100
            return value
        },
        InvalidCase("negative discount", "discount", .nonNegative) {
            var value = Samples.order()
            value.discount = -1
            return value
        },
        InvalidCase("outstanding above amount", "outstanding", .range) {
            var value = Samples.receivable()
            value.outstanding = value.amount + 1
            return value
        },
        InvalidCase("due before issued", "dueAt", .timestampOrder) {
            var value = Samples.receivable()
            value.dueAt = value.issuedAt.addingTimeInterval(-86_400)
            return value
        },
        InvalidCase("plan period ends at its start", "periodEnd", .timestampOrder) {
            var value = Samples.salesPlan()
            value.periodEnd = value.periodStart
            return value
        },
        InvalidCase("negative plan", "plannedAmount", .nonNegative) {
            var value = Samples.salesPlan()
            value.plannedAmount = -1
            return value
        },
        InvalidCase("approved expense without approver", "approverId", .required) {
            var value = Samples.expense()
            value.approverId = nil
            return value
        },
        InvalidCase("negative expense", "amount", .nonNegative) {
            var value = Samples.expense()
            value.amount = -1
            return value
        },
        InvalidCase("budget period backwards", "periodEnd", .timestampOrder) {
            var value = Samples.expenseBudget()
            value.periodEnd = value.periodStart.addingTimeInterval(-1)
            return value
        },
        InvalidCase("long survey comment", "comment", .length) {
            var value = Samples.satisfactionSurvey()
            value.comment = String(repeating: "好", count: 2_001)
            return value
        },
        InvalidCase("assessment score 6", "priceSensitivity", .range) {
            var value = Samples.loyaltyAccount()
            value.priceSensitivity = 6
            return value
        },
        InvalidCase("redemption with positive points", "points", .range) {
            PointsTransaction(
                customerId: Samples.customerId, ownerId: Samples.staff, accountId: Samples.orderId,
                points: 10, reason: .redemption, occurredAt: Samples.created, createdAt: Samples.created)
        },
        InvalidCase("zero adjustment", "points", .range) {
            PointsTransaction(
                customerId: Samples.customerId, ownerId: Samples.staff, accountId: Samples.orderId,
                points: 0, reason: .adjustment, occurredAt: Samples.created, createdAt: Samples.created)
        },
    ]

    @Test(arguments: cases)
    func invalidRecordIsRejectedWithItsOwnError(_ invalid: InvalidCase) throws {
        let record = invalid.make()
        let error = try #require(throws: ValidationError.self) { try record.validate() }
        #expect(error.field == invalid.field)
        #expect(error.rule == invalid.rule)
        #expect(error.entity == type(of: record).kind.rawValue)
        #expect(!error.message.isEmpty)
    }

    @Test func everyCaseStartsFromAValidSample() throws {
        for record in Samples.all { try record.validate() }
    }

    @Test func ruleCodesAreStable() {
        #expect(ValidationError.Rule.phoneFormat.code == "phoneFormat")
        #expect(ValidationError.Rule(code: "timestampOrder") == .timestampOrder)
        #expect(ValidationError.Rule(code: "noSuchRule") == nil)
        let error = ValidationError(.order, field: "netAmount", rule: .nonNegative, message: "negative")
        #expect(error.description == "order.netAmount [nonNegative]: negative")
        #expect(error.entityKind == .order)
    }
}
