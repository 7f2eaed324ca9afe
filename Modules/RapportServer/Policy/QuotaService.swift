import Foundation
import RapportAccess

/// Counts each person's distinct customers per local day against their quota, in the database:
/// one row per staff, day and customer (``SyncScopeStorage/addQuotaCustomers(_:staffId:day:)``),
/// checked and inserted in one write unit, so several server instances (or requests) count
/// exactly once and a restart resets nothing. Nothing is kept in process memory.
///
/// Sync counts the distinct customers that reach a person's devices in a pull or a push answer:
/// the first delivery of a customer (or of any of its records) in a local day counts once.
public struct QuotaService: Sendable {
    /// Where the counts live.
    public let storage: any ServerStorage

    /// Creates the service.
    public init(storage: any ServerStorage) {
        self.storage = storage
    }

    /// Admits the records of an answer, in order, against the person's daily distinct-customer
    /// quota: `customers[i]` is the customer of the i-th record (`nil` when unknown — counted as
    /// a customer of its own), `free` the customers that cost nothing (the person's own book).
    /// Returns how many records from the start fit, and the refusal when not all did; what
    /// fitted is counted. Runs in one write unit (joining the caller's).
    public func admit(
        _ customers: [UUID?], free: Set<UUID>, staffId: UUID, policy: AccessPolicy, now: Date
    ) async throws -> (admitted: Int, refusal: Decision?) {
        let limit = policy.quotaLimits(for: staffId).distinctCustomersPerDay
        let day = policy.settings.clock.day(of: now)
        let costing = customers.map { customer in customer.flatMap { free.contains($0) ? nil : $0 } }
        if customers.allSatisfy({ $0.map(free.contains) ?? false }) { return (customers.count, nil) }
        return try await storage.write { tx in
            let known = try await tx.quotaCustomers(
                staffId: staffId, day: day, among: costing.compactMap { $0 })
            var count = try await tx.quotaCustomerCount(staffId: staffId, day: day)
            var counted = known
            var added: [UUID] = []
            var admitted = 0
            var refusal: Decision?
            for (customer, cost) in zip(customers, costing) {
                if let customer, free.contains(customer) {
                    admitted += 1
                    continue
                }
                // An unknown customer counts as one of its own.
                let id = cost ?? UUID()
                if counted.contains(id) {
                    admitted += 1
                    continue
                }
                guard count < limit else {
                    refusal = .deny(.quotaExceeded)
                    break
                }
                counted.insert(id)
                added.append(id)
                count += 1
                admitted += 1
            }
            if !added.isEmpty { try await tx.addQuotaCustomers(added, staffId: staffId, day: day) }
            return (admitted, refusal)
        }
    }

    /// The person's usage today (distinct customers; exports and reveals are not counted here).
    public func usage(staffId: UUID, policy: AccessPolicy, now: Date) async throws -> QuotaUsage {
        let day = policy.settings.clock.day(of: now)
        let count = try await storage.quotaCustomerCount(staffId: staffId, day: day)
        return QuotaUsage(distinctCustomersToday: count, exportsToday: 0, revealsInLastHour: 0)
    }
}
