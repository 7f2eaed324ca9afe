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

extension AccessPolicy {
    /// Whether `principal` may change who a customer belongs to — its owner, team, account
    /// manager or tier override — from `before` to `after`: a reassignment made through an
    /// ordinary write. Only a role whose scope is a team subtree or the organisation may, and
    /// only when its *role* reaches the customer both before and after (a grant does not count):
    /// a sales rep can neither give customers away (to an accomplice) nor take them (turning a
    /// temporary grant into ownership that outlives it). An unchanged set of facts is always
    /// allowed.
    public func canMove(
        _ principal: Principal, from before: CustomerAccessFacts, to after: CustomerAccessFacts, now: Date
    ) -> Decision {
        guard Self.movesCustomer(from: before, to: after) else { return .allow(.permitted) }
        guard let profile = profiles[principal.staffId] else { return .deny(.unknownPrincipal) }
        if let denied = profile.gate(deviceId: principal.deviceId) { return denied }
        guard profile.scope.contains(.team) || profile.scope.contains(.organisation) else {
            return .deny(.roleLacksPermission)
        }
        let throughRole: Set<DecisionReason> = [
            .owner, .teamScope, .keyAccountManager, .keyAccountManagersManager, .organisationScope,
        ]
        for facts in [before, after] {
            let decision = profile.visibility(facts, needed: [.read, .write], now: now)
            guard decision.isAllowed, throughRole.contains(decision.reason) else {
                return decision.isAllowed ? .deny(.outsideScope) : decision
            }
        }
        return .allow(.permitted)
    }

    /// Whether going from `before` to `after` changes who reaches the customer (owner, team,
    /// account manager, key tier).
    public static func movesCustomer(from before: CustomerAccessFacts, to after: CustomerAccessFacts) -> Bool {
        accessFacts(before) != accessFacts(after)
    }

    /// The facts that decide who reaches a customer.
    static func accessFacts(_ facts: CustomerAccessFacts) -> [UUID?] {
        [facts.ownerId, facts.teamId, facts.accountManagerId, facts.tier == .key ? facts.id : nil]
    }
}
