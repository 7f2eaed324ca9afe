import Foundation
import RapportModels
import RapportStore

/// Deterministic customers of about 600 bytes of JSON.
enum CustomerFactory {
    static let cities = ["Hangzhou", "Shanghai", "Suzhou", "Ningbo", "Nanjing", "Wuxi", "Hefei", "Xiamen"]
    static let hobbies = ["tea", "golf", "hiking", "calligraphy", "chess", "photography", "cycling", "opera"]
    static let surnames = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
    static let owners = (0..<20).map { UUID(uuidString: String(format: "00000000-0000-4000-8000-%012d", $0))! }
    static let team = UUID(uuidString: "00000000-0000-4000-8000-999999999999")!

    static func customer(_ index: Int) -> Customer {
        let city = cities[index % cities.count]
        let hobby = hobbies[(index / 3) % hobbies.count]
        let name = "\(surnames[index % surnames.count]) \(city) Trading \(index)"
        let created = Date(timeIntervalSince1970: 1_700_000_000 + Double(index))
        let statuses: [Customer.Status] = [.active, .active, .prospect, .dormant, .lost]
        let profile = IndividualProfile(
            phones: [String(format: "+86 138 %04d %04d", index % 10_000, (index * 7) % 10_000)],
            emails: ["customer\(index)@example.cn"],
            address: "\(index % 400) \(city) Road, \(city)",
            occupation: "buyer", employer: "\(city) Import Co. \(index % 97)", jobTitle: "purchasing manager",
            hobbies: [hobby, "travel"])
        return Customer(
            id: id(index),
            kind: .individual, name: name, code: "C\(index)", status: statuses[index % statuses.count],
            sourceChannel: .tradeShow, ownerId: owners[index % owners.count], teamId: team,
            tier: [ValueTier.key, .normal, .small][index % 3], creditLimit: nil, paymentTermDays: 30,
            notes: "Met at the \(city) fair; likes \(hobby). Prefers calls after 10am.",
            createdAt: created, individual: profile)
    }

    /// A random-looking version-4 UUID, as clients make them, but the same for the same index
    /// on every run (SplitMix64 of the index), so runs stay comparable. Sequential ids would
    /// fill the `id` index in order, which no real store sees.
    static func id(_ index: Int) -> UUID {
        var generator = SplitMix(seed: 0x5EED_0000_0000_0000 ^ UInt64(index))
        let high = generator.next()
        let low = generator.next()
        var bytes = [UInt8](repeating: 0, count: 16)
        for shift in 0..<8 {
            bytes[shift] = UInt8(truncatingIfNeeded: high >> (56 - 8 * shift))
            bytes[8 + shift] = UInt8(truncatingIfNeeded: low >> (56 - 8 * shift))
        }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        return UUID(
            uuid: (
                bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]
            ))
    }

    static func documents(count: Int) throws -> [RecordDocument] {
        try (0..<count).map { try RecordDocument(customer($0)) }
    }
}
