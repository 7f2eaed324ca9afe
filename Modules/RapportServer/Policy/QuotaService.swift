import Foundation
import RapportAccess

/// Each person's `QuotaLedger`, kept in memory and persisted in storage after every change, so
/// a restart does not reset the day's counts.
///
/// Sync counts the distinct customers that reach a person's devices in a pull: the first
/// delivery of a customer (or of any of its records) in a local day counts once.
public actor QuotaService {
    /// Where ledgers are persisted.
    public nonisolated let storage: any SyncScopeStorage
    private var ledgers: [UUID: QuotaLedger] = [:]
    /// The ledger as last read from or written to storage.
    private var persisted: [UUID: QuotaLedger] = [:]

    /// Creates the service.
    public init(storage: any SyncScopeStorage) {
        self.storage = storage
    }

    /// Admits the records of an answer, in order, against the person's daily distinct-customer
    /// quota: `customers[i]` is the customer of the i-th record (`nil` when unknown — counted as
    /// a customer of its own), `free` the customers that cost nothing (the person's own book).
    /// Returns how many records from the start fit, and the refusal when not all did; what
    /// fitted is counted, the refusal too (it feeds the anomaly detector).
    public func admit(
        _ customers: [UUID?], free: Set<UUID>, staffId: UUID, policy: AccessPolicy, now: Date
    ) async throws -> (admitted: Int, refusal: Decision?) {
        var ledger = try await ledger(staffId: staffId, policy: policy)
        var admitted = 0
        var refusal: Decision?
        for customer in customers {
            if let customer, free.contains(customer) {
                admitted += 1
                continue
            }
            let answer = ledger.record(.customerAccess(customer ?? UUID()), now: now)
            if !answer.isAllowed {
                refusal = answer
                break
            }
            admitted += 1
        }
        ledgers[staffId] = ledger
        if persisted[staffId] != ledger {
            try await storage.saveQuotaLedger(ledger, staffId: staffId)
            persisted[staffId] = ledger
        }
        return (admitted, refusal)
    }

    /// The person's usage in the windows containing `now`.
    public func usage(staffId: UUID, policy: AccessPolicy, now: Date) async throws -> QuotaUsage {
        try await ledger(staffId: staffId, policy: policy).usage(now: now)
    }

    /// The ledger with the limits in force now (roles and notice period may have changed).
    private func ledger(staffId: UUID, policy: AccessPolicy) async throws -> QuotaLedger {
        if ledgers[staffId] == nil {
            let stored = try await storage.quotaLedger(staffId: staffId)
            if ledgers[staffId] == nil {
                persisted[staffId] = stored
                ledgers[staffId] =
                    stored
                    ?? QuotaLedger(limits: policy.quotaLimits(for: staffId), clock: policy.settings.clock)
            }
        }
        var ledger = ledgers[staffId]!
        ledger.limits = policy.quotaLimits(for: staffId)
        ledger.clock = policy.settings.clock
        return ledger
    }
}
