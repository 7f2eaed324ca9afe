import Foundation
import RapportAccess
import RapportCrypto
import RapportModels
import Testing

@Suite("Canary disguise and masked tracing")
struct CanaryDisguiseTests {
    let generator = CanaryGenerator(secret: try! SymmetricKey(bytes: Array(repeating: 9, count: 32)))
    let owner = UUID()
    let now = Date(timeIntervalSince1970: 1_780_000_000)

    /// Six customers coded `KH-2400nn`, each with a tier, a birth date, a credit limit and a
    /// history of one contact and two orders.
    func book() -> (customers: [[String: JSONValue]], histories: [[EntityKind: [[String: JSONValue]]]]) {
        var customers: [[String: JSONValue]] = []
        var histories: [[EntityKind: [[String: JSONValue]]]] = []
        for number in 0..<6 {
            let id = UUID()
            customers.append([
                "id": .string(id.uuidString), "code": .string("KH-2400\(10 + number * 3)"), "tier": "normal",
                "createdAt": .string("2025-0\(number + 1)-01T00:00:00.000Z"), "creditLimit": .int(80_000),
                "individual.birthDate": "1984-05-06", "notes": "call after 5pm",
            ])
            let order: [String: JSONValue] = [
                "customerId": .string(id.uuidString), "number": "SO-000123", "netAmount": .int(120_000),
                "orderedAt": "2025-08-01T00:00:00.000Z", "status": "placed",
            ]
            histories.append([
                .contact: [
                    ["customerId": .string(id.uuidString), "name": "某人", "phones": ["13700001234"], "emails": []]
                ],
                .order: [order, order],
            ])
        }
        return (customers, histories)
    }

    @Test("a disguised canary carries every usual field, a code inside the issued range and the usual history")
    func disguise() throws {
        let (customers, histories) = book()
        let canary = generator.canary(for: owner, index: 0)
        let disguise = CanaryDisguise(generator: generator, now: now)
        let base: [String: JSONValue] = ["id": .string(canary.id.uuidString), "name": .string(canary.name)]
        let taken = Set(customers.compactMap { $0["code"]?.stringValue })
        let fields = disguise.customer(canary, base: base, like: customers, takenCodes: taken)
        #expect(
            fields == disguise.customer(canary, base: base, like: customers, takenCodes: taken),
            "planting again draws the same")
        for path in ["code", "tier", "createdAt", "creditLimit", "individual.birthDate", "notes"] {
            #expect(CanaryDisguise.isPresent(fields[path]), "\(path) missing")
        }
        let code = try #require(fields["code"]?.stringValue)
        let number = try #require(Int(code.dropFirst("KH-2400".count)))
        #expect(
            code.hasPrefix("KH-2400") && (10...25).contains(number) && ![10, 13, 16, 19, 22, 25].contains(number),
            "\(code)")
        let history = disguise.history(canary, customer: fields, like: histories)
        #expect(history.filter { $0.kind == .contact }.count == 1 && history.filter { $0.kind == .order }.count == 2)
        #expect(history == disguise.history(canary, customer: fields, like: histories), "planting again draws the same")
        for record in history {
            #expect(
                record.id
                    == generator.historyId(
                        for: canary, kind: record.kind,
                        number: record.kind == .order ? history.filter { $0.kind == .order }.firstIndex(of: record)! : 0
                    ))
            #expect(record.fields["customerId"]?.stringValue == canary.id.uuidString)
        }
        let contact = try #require(history.first { $0.kind == .contact })
        #expect(contact.fields["phones"]?.arrayValue?.first?.stringValue != "13700001234", "a donor's phone was copied")
        #expect(contact.fields["emails"] == .array([]))
    }

    @Test("in a densely issued code range the canary takes one of the next numbers, zero padding kept")
    func denseCodes() throws {
        let customers: [[String: JSONValue]] = (1...6).map { ["code": .string(String(format: "C-%06d", $0))] }
        let canary = generator.canary(for: owner, index: 0)
        let fields = CanaryDisguise(generator: generator, now: now).customer(
            canary, base: [:], like: customers, takenCodes: Set(customers.compactMap { $0["code"]?.stringValue }))
        let code = try #require(fields["code"]?.stringValue)
        #expect(code.hasPrefix("C-0000") && code.count == 8, "\(code)")
        #expect((7...30).contains(Int(code.dropFirst(2)) ?? 0), "\(code)")
    }

    @Test("masked phones and e-mails trace to every candidate with the strength of the match")
    func maskedTrace() {
        let canary = generator.canary(for: owner, index: 1)
        let tracer = CanaryTracer(generator: generator, staffIds: [owner, UUID(), UUID()])
        let phone = ValueMasker.maskPhone(canary.phone)
        let byPhone = tracer.trace(phone).filter { $0.staffId == owner }
        #expect(byPhone.map(\.field) == [.maskedPhone] && byPhone.first?.index == 1)
        #expect(byPhone.first?.strength == (tracer.trace(phone).count == 1 ? .strong : .weak))
        #expect(tracer.trace(phone.replacingOccurrences(of: "****", with: " **** ")).contains { $0.staffId == owner })
        let byEmail = tracer.trace(ValueMasker.maskEmail(canary.email).uppercased())
        #expect(byEmail.contains { $0.staffId == owner && $0.field == .maskedEmail && $0.strength == .weak })
        #expect(tracer.trace(canary.phone).first?.strength == .conclusive)
        // The same person traced twice: every canary has a twin, so nothing is unique.
        let doubled = CanaryTracer(generator: generator, staffIds: [owner, owner])
        #expect(doubled.trace(phone).allSatisfy { $0.candidates >= 2 && $0.strength == .weak })
        // In a leaked file.
        let text = "name,phone\n\(canary.name),\(phone)\n王五,139****0000\n"
        #expect(tracer.traceText(text).contains { $0.staffId == owner && $0.field == .maskedPhone })
    }

    @Test("planted codes and history ids trace back conclusively")
    func codesAndHistory() {
        let canary = generator.canary(for: owner, index: 2)
        let order = generator.historyId(for: canary, kind: .order, number: 0)
        let tracer = CanaryTracer(
            generator: generator, staffIds: [owner], codes: ["KH-240017": canary.id], history: [order: canary.id])
        #expect(tracer.trace("kh-240017").map(\.field) == [.code])
        #expect(
            tracer.trace(order.uuidString).map { [$0.field.rawValue, $0.strength.rawValue] } == [
                ["history", "conclusive"]
            ])
        #expect(tracer.traceText("exported order \(order.uuidString) for KH-240017").count == 2)
        #expect(!tracer.isCanary(order) && tracer.isCanary(canary.id))
    }
}
