import Foundation
import RapportAccess
import RapportModels
import RapportTesting
import Testing

@Suite("Field masking, reveals and write checks")
struct MaskingTests {
    let cast = AccessFixtures.Cast()
    let now = AccessFixtures.now
    var policy: AccessPolicy { AccessPolicy(cast.organisation()) }

    let record: [String: JSONValue] = [
        "name": "王芳",
        "individual.phones": ["13812345678", "+86 139-0000-1111"],
        "individual.emails": ["zhang.wei@example.com"],
        "individual.address": "上海市徐汇区漕溪北路 88 号",
        "individual.birthDate": "1985-04-12",
        "notes": nil,
        "creditLimit": 5_000_000,
        "customFields.secretHobby": "collects jade",
    ]

    @Test("phones and e-mails are partially masked; other sensitive values become a marker")
    func masks() {
        #expect(ValueMasker.maskPhone("13812345678") == "138****5678")
        #expect(ValueMasker.maskPhone("+86 139-0000-1111") == "861****1111")
        #expect(ValueMasker.maskPhone("1234567") == "12****67")
        #expect(ValueMasker.maskPhone("12345") == "****")
        #expect(ValueMasker.maskEmail("zhang.wei@example.com") == "z***@example.com")
        #expect(ValueMasker.maskEmail("@example.com") == "***")
        #expect(ValueMasker.maskEmail("nobody") == "***")
        // A mask that would still contain the value falls back to the marker.
        #expect(ValueMasker.mask("z***@x.cn", style: .email, fieldClass: .sensitive) == ValueMasker.marker(.sensitive))
    }

    @Test("a sales rep gets masked sensitive fields, no secret fields, ordinary fields in clear")
    func salesRep() throws {
        let masked = policy.mask(record, kind: .customer, for: Principal(staffId: cast.ray), now: now)
        #expect(masked.fields["name"] == "王芳")
        #expect(masked.fields["individual.phones"] == ["138****5678", "861****1111"])
        #expect(masked.fields["individual.emails"] == ["z***@example.com"])
        #expect(masked.fields["individual.address"] == ValueMasker.marker(.sensitive))
        #expect(masked.fields["individual.birthDate"] == ValueMasker.marker(.sensitive))
        #expect(masked.fields["notes"] == .null)
        #expect(masked.fields["creditLimit"] == nil)
        #expect(masked.fields["customFields.secretHobby"] == ValueMasker.marker(.sensitive))
        #expect(masked.maskedPaths.contains("individual.address") && !masked.maskedPaths.contains("creditLimit"))
        let json = String(decoding: try RapportJSON.encoder().encode(masked), as: UTF8.self)
        for secret in ["13812345678", "zhang.wei", "漕溪北路", "1985-04-12", "5000000", "jade"] {
            #expect(!json.contains(secret), "\(secret) leaked")
        }
    }

    @Test("reveal on request: only listed paths, only for roles that may, and reported for auditing")
    func reveal() {
        let ray = Principal(staffId: cast.ray)
        let revealed = policy.mask(
            record, kind: .customer, for: ray, revealing: ["individual.phones", "creditLimit"], now: now)
        #expect(revealed.fields["individual.phones"] == ["13812345678", "+86 139-0000-1111"])
        #expect(revealed.revealedPaths == ["individual.phones"])
        #expect(revealed.fields["creditLimit"] == nil)
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        #expect(policy.canReveal(ray, .customer, path: "individual.phones", of: own, now: now) == .allow(.permitted))
        #expect(policy.canReveal(ray, .customer, path: "creditLimit", of: own, now: now) == .deny(.roleLacksPermission))
        #expect(
            policy.canReveal(Principal(staffId: cast.al), .customer, path: "individual.phones", of: own, now: now)
                == .deny(.roleLacksPermission))
        #expect(
            policy.canReveal(Principal(staffId: cast.sam), .customer, path: "individual.phones", of: own, now: now)
                == .deny(.outsideScope))
    }

    @Test("managers and admins see secret fields; auditors see masks only")
    func otherRoles() {
        let manager = policy.mask(record, kind: .customer, for: Principal(staffId: cast.mia), now: now)
        #expect(manager.fields["creditLimit"] == 5_000_000)
        #expect(manager.fields["individual.phones"] == ["138****5678", "861****1111"])
        let auditor = policy.mask(
            record, kind: .customer, for: Principal(staffId: cast.al), revealing: ["individual.phones"], now: now)
        #expect(auditor.fields["individual.phones"] == ["138****5678", "861****1111"])
        #expect(auditor.fields["creditLimit"] == nil)
        #expect(auditor.revealedPaths.isEmpty)
    }

    @Test("conflict reports and logs get the same treatment through redact")
    func redact() {
        let ray = Principal(staffId: cast.ray)
        #expect(
            policy.redact("13812345678", kind: .customer, path: "individual.phones", for: ray, now: now)
                == "138****5678")
        #expect(policy.redact(5_000_000, kind: .customer, path: "creditLimit", for: ray, now: now) == nil)
        #expect(
            policy.redact("x", kind: .customer, path: "no.such.field", for: ray, now: now)
                == ValueMasker.marker(.sensitive))
    }

    @Test("write checks: per field class, unknown fields refused, scope required")
    func writes() {
        let ray = Principal(staffId: cast.ray)
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        let ok = policy.canWrite(
            ray, .customer, action: .update, of: own, fields: ["name", "individual.phones"], now: now)
        #expect(ok.isAllowed)
        let secret = policy.canWrite(
            ray, .customer, action: .update, of: own, fields: ["name", "creditLimit", "bogus"], now: now)
        #expect(!secret.isAllowed && secret.record.isAllowed)
        #expect(secret.refusedFields == ["creditLimit": .fieldClassNotWritable, "bogus": .unknownField])
        #expect(
            policy.canWrite(ray, .customer, action: .delete, of: own, fields: [], now: now).record
                == .deny(.roleLacksPermission))
        // Creating a customer for someone else is outside scope.
        let forSam = cast.customer(ownedBy: cast.sam, team: cast.west)
        #expect(
            policy.canWrite(ray, .customer, action: .create, of: forSam, fields: ["name"], now: now).record
                == .deny(.outsideScope))
        // Support agents write complaints but not customers.
        let sue = Principal(staffId: cast.sue)
        let assigned = cast.customer(ownedBy: cast.ray, team: cast.eastOne, complaintAssignees: [cast.sue])
        #expect(
            policy.canWrite(sue, .complaint, action: .update, of: assigned, fields: ["ownerId"], now: now).isAllowed)
        #expect(
            policy.canWrite(sue, .customer, action: .update, of: assigned, fields: ["name"], now: now).record
                == .deny(.roleLacksPermission))
    }

    @Test("only roles with export may export, and sales roles export nothing")
    func export() {
        let own = cast.customer(ownedBy: cast.ray, team: cast.eastOne)
        #expect(
            policy.canExport(Principal(staffId: cast.ray), .customer, of: own, now: now) == .deny(.roleLacksPermission))
        #expect(
            policy.canExport(Principal(staffId: cast.mia), .customer, of: own, now: now) == .deny(.roleLacksPermission))
        #expect(policy.canExport(Principal(staffId: cast.ada), .customer, of: own, now: now) == .allow(.permitted))
        #expect(policy.canExport(Principal(staffId: cast.sam), .customer, of: own, now: now) == .deny(.outsideScope))
    }

    @Test("real generated customers: nothing masked reaches a sales rep's encoded record")
    func realCustomers() throws {
        let generated = OrganisationGenerator(seed: 11).make(teams: 2, staffPerTeam: 3, customersPerStaff: 4)
        let rep = Principal(staffId: cast.ray)
        var checked = 0
        for customer in generated.customers {
            let fields = try customer.fieldMap()
            let masked = policy.mask(fields, kind: .customer, for: rep, now: now)
            let json = String(decoding: try RapportJSON.encoder().encode(masked), as: UTF8.self)
            let clearValues = Set(
                masked.fields.filter { !masked.maskedPaths.contains($0.key) }.values.flatMap(Self.strings))
            for (path, value) in fields where FieldRegistry.descriptor(.customer, path)?.fieldClass != .ordinary {
                for text in Self.strings(value) where text.count >= 6 && !clearValues.contains(text) {
                    checked += 1
                    #expect(!json.contains(text), "\(path) leaked")
                }
            }
        }
        #expect(checked > 0)
    }

    static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .int(let number): [String(number)]
        case .array(let items): items.flatMap(strings)
        case .object(let members): members.values.flatMap(strings)
        default: []
        }
    }
}
