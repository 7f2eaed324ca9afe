import Foundation
import RapportModels

extension CustomerAccessFacts {
    /// The access facts of a stored customer: owner, team, effective tier (override first),
    /// account manager and tags, plus the assignees of its `complaints` that are not closed
    /// (complaints of other customers and deleted ones are ignored).
    public init(_ customer: Customer, complaints: [Complaint] = []) {
        let assignees = complaints.compactMap { complaint -> UUID? in
            guard complaint.customerId == customer.id, complaint.stage != .closed, complaint.deletedAt == nil else {
                return nil
            }
            return complaint.assigneeId
        }
        self.init(
            id: customer.id, ownerId: customer.ownerId, teamId: customer.teamId, tier: customer.effectiveTier,
            accountManagerId: customer.accountManagerId, tags: customer.tags.values,
            openComplaintAssignees: Array(Set(assignees)).sorted { $0.uuidString < $1.uuidString })
    }
}
