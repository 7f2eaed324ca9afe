import Foundation
import RapportAccess
import RapportCrypto
import Testing

@Suite("Canary records")
struct CanaryTests {
    let key = try! SymmetricKey(bytes: Array(repeating: 7, count: 32))
    let staff = (0..<200).map { index in UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", index))! }

    @Test("canaries are deterministic, plausible and unique per person")
    func uniqueAndPlausible() {
        let generator = CanaryGenerator(secret: key)
        #expect(generator.canaries(for: staff[0]) == generator.canaries(for: staff[0]))
        let all = staff.flatMap { generator.canaries(for: $0, count: 3) }
        #expect(Set(all.map(\.phone)).count == all.count)
        #expect(Set(all.map(\.email)).count == all.count)
        #expect(Set(all.map(\.id)).count == all.count)
        for canary in all {
            #expect(canary.phone.count == 11 && canary.phone.hasPrefix("1") && canary.phone.allSatisfy(\.isNumber))
            #expect(canary.email.contains("@") && canary.email.split(separator: "@").count == 2)
            #expect((2...3).contains(canary.name.count))
        }
        // Another secret gives other canaries.
        let other = CanaryGenerator(secret: try! SymmetricKey(bytes: Array(repeating: 8, count: 32)))
        #expect(other.canary(for: staff[0], index: 0).phone != generator.canary(for: staff[0], index: 0).phone)
    }

    @Test("a leaked phone, e-mail or id traces back to exactly one person")
    func trace() {
        let generator = CanaryGenerator(secret: key)
        let tracer = CanaryTracer(generator: generator, staffIds: staff)
        let leaked = generator.canary(for: staff[42], index: 2)
        let phone = leaked.phone
        let spaced = "+86 " + phone.prefix(3) + " " + phone.dropFirst(3).prefix(4) + " " + phone.suffix(4)
        #expect(tracer.trace(phone) == [CanaryMatch(staffId: staff[42], index: 2, field: .phone)])
        #expect(tracer.trace(spaced) == [CanaryMatch(staffId: staff[42], index: 2, field: .phone)])
        #expect(tracer.trace(leaked.email.uppercased()) == [CanaryMatch(staffId: staff[42], index: 2, field: .email)])
        #expect(tracer.trace(leaked.id.uuidString) == [CanaryMatch(staffId: staff[42], index: 2, field: .id)])
        #expect(tracer.trace(leaked.name).contains(CanaryMatch(staffId: staff[42], index: 2, field: .name)))
        #expect(tracer.trace("13800138000").isEmpty)
        #expect(tracer.isCanary(leaked.id) && !tracer.isCanary(UUID()))
        let spreadsheet = "name,phone\n王芳,13800138000\n\(leaked.name),\(spaced)\n"
        #expect(tracer.traceText(spreadsheet) == [CanaryMatch(staffId: staff[42], index: 2, field: .phone)])
    }
}
