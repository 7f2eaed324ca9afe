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
            id: UUID(uuidString: String(format: "10000000-0000-4000-8000-%012d", index))!,
            kind: .individual, name: name, code: "C\(index)", status: statuses[index % statuses.count],
            sourceChannel: .tradeShow, ownerId: owners[index % owners.count], teamId: team,
            tier: [ValueTier.key, .normal, .small][index % 3], creditLimit: nil, paymentTermDays: 30,
            notes: "Met at the \(city) fair; likes \(hobby). Prefers calls after 10am.",
            createdAt: created, individual: profile)
    }

    static func documents(count: Int) throws -> [RecordDocument] {
        try (0..<count).map { try RecordDocument(customer($0)) }
    }
}
