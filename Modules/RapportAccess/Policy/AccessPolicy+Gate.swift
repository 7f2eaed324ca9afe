import Foundation
import RapportModels

extension AccessPolicy {
    /// Whether `principal` reads the field `path` of a record of `kind` in clear at `now`
    /// (``FieldAccess/full``). Anything less — masked, on request, hidden — means no answer the
    /// server gives them may depend on the field's value (`Docs/Security.md`, "Threat model").
    /// Unknown paths count as sensitive.
    public func readsInClear(_ principal: Principal, _ kind: EntityKind, path: String, now: Date) -> Bool {
        fieldAccess(principal, descriptor(kind, path)?.fieldClass ?? .sensitive, now: now) == .full
    }

    /// Whether `customer` is in the person's own book — they own it, are its account manager,
    /// or have one of its open complaints assigned: the customers a new device of theirs must
    /// receive to be usable. Read quotas count only what a person reads beyond it, except on
    /// notice, when everything counts (`Docs/Security.md`, "Quotas").
    public func isOwnBook(_ staffId: UUID, customer: CustomerAccessFacts) -> Bool {
        if staff(staffId)?.status == .notice { return false }
        return customer.ownerId == staffId || customer.accountManagerId == staffId
            || customer.openComplaintAssignees.contains(staffId)
    }
}
