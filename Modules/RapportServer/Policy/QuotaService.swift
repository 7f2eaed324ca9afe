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

    /// Records that `customers` reach `staffId` at `now`, all or nothing as far as the answer
    /// goes: a denial means the page must not be delivered. Customers counted before the first
    /// refusal stay counted (a retry of the same page finds them free) and the refusal is
    /// counted, which feeds the anomaly detector.
    ///
    /// - Returns: the first denial (`quotaExceeded`), or an allowing decision.
    public func recordCustomerAccess(
        _ customers: some Collection<UUID>, staffId: UUID, policy: AccessPolicy, now: Date
    ) async throws -> Decision {
        var ledger = try await ledger(staffId: staffId, policy: policy)
        var decision = Decision.allow(.withinQuota)
        for customer in customers {
            let answer = ledger.record(.customerAccess(customer), now: now)
            if !answer.isAllowed {
                decision = answer
                break
            }
        }
        ledgers[staffId] = ledger
        // Most pages deliver customers already counted today: nothing changed, nothing to write
        // (a write would queue behind pushes on the single SQLite writer).
        if persisted[staffId] != ledger {
            try await storage.saveQuotaLedger(ledger, staffId: staffId)
            persisted[staffId] = ledger
        }
        return decision
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
