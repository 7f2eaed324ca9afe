import Foundation
import RapportAccess
import RapportModels
import RapportSyncServer

/// What the server's sync layer needs from storage beyond RapportSyncServer's `SyncServerStorage`:
/// scope queries over indexed customer facts, the organisation version the policy cache
/// watches, and the quota counters. ``SQLiteServerStorage`` implements it; a PostgreSQL storage
/// would translate the same ``ScopePredicate`` into its own SQL.
public protocol SyncScopeStorage: SyncStorageTransaction {
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

    /// Of `customers`, those already counted against the member of staff's quota on local day
    /// `day` (each customer counts once a day).
    func quotaCustomers(staffId: UUID, day: Int, among customers: [UUID]) async throws -> Set<UUID>

    /// How many distinct customers the member of staff has been counted for on local day `day`.
    func quotaCustomerCount(staffId: UUID, day: Int) async throws -> Int

    /// Counts `customers` for the member of staff on local day `day`: one row per staff, day
    /// and customer, inserted if missing (an upsert, never a rewrite of the person's ledger),
    /// and forgets the person's days before `day - 1`. Call it in the write unit that checked
    /// the count, so concurrent admissions (on any instance) count exactly.
    func addQuotaCustomers(_ customers: [UUID], staffId: UUID, day: Int) async throws
}
