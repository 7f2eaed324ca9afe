import Foundation
import RapportAccess
import RapportModels
import RapportSyncServer

/// What the server's sync layer needs from storage beyond RapportSyncServer's `SyncServerStorage`:
/// scope queries over indexed customer facts, the organisation version the policy cache
/// watches, and quota ledgers. ``SQLiteServerStorage`` implements it; a PostgreSQL storage
/// would translate the same ``ScopePredicate`` into its own SQL.
public protocol SyncScopeStorage: SyncServerStorage {
    /// The live records matching, per kind, the customer predicate of that kind (customers by
    /// their own facts, child records by their customer's). Kinds not listed are not visible.
    func visibleRecords(_ predicates: [EntityKind: ScopePredicate]) async throws -> Set<RecordKey>

    /// Every live (not deleted) record of the given kinds, ordered by kind and id.
    func liveRecords(of kinds: Set<EntityKind>) async throws -> [StoredRecord]

    /// The access facts of a live customer, or `nil` if there is none (or it is deleted).
    func customerFacts(_ customerId: UUID) async throws -> CustomerAccessFacts?

    /// The access facts of several live customers in one read (deleted or unknown ones are left
    /// out): what a page's read admission needs.
    func customerFacts(_ customerIds: [UUID]) async throws -> [UUID: CustomerAccessFacts]

    /// The customer each record belongs to (a customer belongs to itself); unknown records are
    /// left out.
    func customerIds(of keys: [RecordKey]) async throws -> [RecordKey: UUID]

    /// A counter raised by every change to staff, teams, roles, grants and devices (by
    /// triggers, in the writing transaction).
    func organisationVersion() async throws -> Int64

    /// The stored quota ledger of a member of staff, or `nil`.
    func quotaLedger(staffId: UUID) async throws -> QuotaLedger?

    /// Stores a member of staff's quota ledger.
    func saveQuotaLedger(_ ledger: QuotaLedger, staffId: UUID) async throws
}
