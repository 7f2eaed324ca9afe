import Foundation
import PropertyBased
import RapportModels
import Testing

/// Random valid customers survive JSON and field-map round trips unchanged.
@Suite("Customer properties")
struct CustomerPropertyTests {
    static let chineseName = Gen.character(in: "\u{4E00}"..."\u{9FA5}").string(of: 2...4)
    static let englishName = zip(Gen.uppercaseLetter, Gen.lowercaseLetter.string(of: 1...12))
        .map { first, rest in String(first) + rest }
    static let mobile = zip(Gen.character(in: "3"..."9"), Gen.number.string(of: 9))
        .map { second, rest in "1" + String(second) + rest }
    static let email = zip(Gen.letterOrNumber.string(of: 1...10), Gen.lowercaseLetter.string(of: 2...8))
        .map { local, domain in "\(local)@\(domain).cn" }

    struct Basics: Sendable {
        var kind: Customer.Kind
        var status: Customer.Status
        var channel: Customer.SourceChannel
        var name: String
        var creditLimit: Int64?
    }

    struct Details: Sendable {
        var tags: Set<String>
        var phones: Set<String>
        var emails: Set<String>
        var createdMillis: Int64
        var points: Int64
        var custom: Int
    }

    static let basics = zip(
        Gen<Customer.Kind>.case, Gen<Customer.Status>.case, Gen<Customer.SourceChannel>.case,
        Gen.oneOf(chineseName, englishName), Gen.int64(in: 0...10_000_000_000).optional
    ).map { Basics(kind: $0, status: $1, channel: $2, name: $3, creditLimit: $4) }

    static let details = zip(
        Gen.lowercaseLetter.string(of: 1...10).set(ofAtMost: 0...5), mobile.set(ofAtMost: 0...3),
        email.set(ofAtMost: 0...3), Gen.int64(in: -1_000_000_000_000...2_000_000_000_000),
        Gen.int64(in: 0...1_000_000), Gen.int(in: -1_000...1_000)
    ).map { Details(tags: $0, phones: $1, emails: $2, createdMillis: $3, points: $4, custom: $5) }

    static func customer(_ basics: Basics, _ details: Details) -> Customer {
        let created = Date(timeIntervalSinceReferenceDate: Double(details.createdMillis) / 1000)
        return Customer(
            kind: basics.kind, name: basics.name, status: basics.status, sourceChannel: basics.channel,
            ownerId: UUID(), teamId: UUID(), creditLimit: basics.creditLimit,
            tags: TagSet(details.tags), loyaltyPoints: details.points, createdAt: created,
            customFields: ["score": .int(Int64(details.custom))],
            individual: basics.kind == .individual
                ? IndividualProfile(phones: details.phones.sorted(), emails: details.emails.sorted())
                : nil,
            enterprise: basics.kind == .enterprise
                ? EnterpriseProfile(personInChargePhone: details.phones.first) : nil)
    }

    @Test func randomValidCustomersRoundTrip() async {
        await propertyCheck(count: 200, input: Self.basics, Self.details) { basics, details in
            let customer = Self.customer(basics, details)
            #expect(throws: Never.self) { try customer.validate() }
            let data = try RapportJSON.encoder().encode(customer)
            #expect(try RapportJSON.decode(Customer.self, from: data) == customer)
            let fields = try customer.fieldMap()
            #expect(try Customer.from(fieldMap: fields) == customer)
            let registered = Set(FieldRegistry.fields(of: .customer).map(\.path))
            #expect(fields.keys.allSatisfy { registered.contains($0) || FieldRegistry.customFieldKey(of: $0) != nil })
        }
    }

    /// Equal customers encode to the same bytes, however their tag sets were built.
    @Test func encodingIsDeterministic() async {
        await propertyCheck(count: 50, input: Self.basics, Self.details) { basics, details in
            let customer = Self.customer(basics, details)
            var rebuilt = customer
            rebuilt.tags = TagSet()
            for tag in customer.tags.sorted.reversed() { rebuilt.tags.insert(tag) }
            let first = try RapportJSON.encoder().encode(customer)
            let second = try RapportJSON.encoder().encode(rebuilt)
            #expect(first == second)
        }
    }
}
