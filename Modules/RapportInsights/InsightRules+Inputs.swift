import Foundation

extension InsightRules {
    /// Customers with duplicates removed (first occurrence wins), ordered by id.
    func distinctCustomers(_ customers: [InsightCustomer]) -> [InsightCustomer] {
        var seen = Set<UUID>()
        return customers.filter { seen.insert($0.id).inserted }.sorted { $0.id.insightSortKey < $1.id.insightSortKey }
    }

    /// Items grouped by customer id.
    func grouped<Item>(_ items: [Item], by customerId: (Item) -> UUID) -> [UUID: [Item]] {
        Dictionary(grouping: items, by: customerId)
    }
}

extension UUID {
    /// The deterministic ordering key used for tie-breaks: the canonical upper-case string,
    /// which orders like the id's bytes.
    var insightSortKey: String { uuidString }
}
