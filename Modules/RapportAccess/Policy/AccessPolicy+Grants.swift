import Foundation

extension AccessPolicy {
    /// Checks a grant request against separation of duties and returns the grant to store.
    ///
    /// - Administrators may grant anything; managers may grant `.read`/`.write` on one customer
    ///   they reach through their own team scope (pass its `customer` facts) to someone in their
    ///   team subtree.
    /// - Nobody may grant to themselves (``AccessError/Code/selfGrant``).
    /// - A reason is mandatory; ordinary grants last 7 days by default and at most 30;
    ///   break-glass lasts 4 hours by default and at most 8.
    /// - Only break-glass may cover the whole organisation; segments must set a condition.
    /// - Widening grants (export, break-glass) come back ``GrantApproval/pending`` when the
    ///   organisation requires a second administrator; they have no effect until approved.
    ///
    /// - Throws: ``AccessError`` saying which rule the request breaks.
    public func issueGrant(
        _ request: GrantRequest, by grantorId: UUID, customer: CustomerAccessFacts? = nil, now: Date, id: UUID = UUID()
    ) throws(AccessError) -> AccessGrant {
        let grantor = try activeStaff(grantorId, role: "grantor")
        guard request.granteeId != grantorId else {
            throw AccessError(
                code: .selfGrant, message: "nobody may grant access to themselves; ask another administrator")
        }
        guard let grantee = staff(request.granteeId) else {
            throw AccessError(code: .unknownStaff, message: "no member of staff \(request.granteeId); check the id")
        }
        let widening = request.kind == .breakGlass || request.permissions.contains(.export)
        guard grantee.status == .active || (grantee.status == .notice && !widening) else {
            throw AccessError(
                code: .inactiveStaff,
                message:
                    "\(grantee.name) is \(grantee.status.rawValue); only read or write grants reach staff on notice, none reach suspended or departed staff"
            )
        }
        guard request.reason.trimmingCharacters(in: .whitespacesAndNewlines).unicodeScalars.count >= 3 else {
            throw AccessError(code: .reasonRequired, message: "say why the grant is needed (at least a few words)")
        }
        switch request.target {
        case .organisation where request.kind != .breakGlass:
            throw AccessError(
                code: .invalidTarget,
                message: "only break-glass grants may cover every customer; name a customer or a segment")
        case .segment(let segment) where segment.isEmpty:
            throw AccessError(code: .invalidTarget, message: "a segment grant needs a tag, a tier or a team")
        default:
            break
        }
        guard !request.permissions.isEmpty else {
            throw AccessError(code: .invalidTarget, message: "a grant must give at least read permission")
        }
        let (standard, maximum) =
            request.kind == .breakGlass
            ? (settings.defaultBreakGlassDuration, settings.maximumBreakGlassDuration)
            : (settings.defaultGrantDuration, settings.maximumGrantDuration)
        let duration = request.duration ?? standard
        guard duration > 0, duration <= maximum else {
            throw AccessError(
                code: .invalidDuration,
                message:
                    "a \(request.kind == .breakGlass ? "break-glass" : "standard") grant lasts more than 0 and at most \(Int(maximum / 3_600)) hours; shorten it"
            )
        }
        if !grantor.isAdmin {
            try checkManagerGrant(request, grantor: grantor, customer: customer, now: now)
        }
        let approval: GrantApproval = widening && settings.requireSecondApprovalForWidening ? .pending : .notRequired
        return AccessGrant(
            id: id, granteeId: request.granteeId, target: request.target, permissions: request.permissions,
            kind: request.kind, reason: request.reason, grantorId: grantorId, createdAt: now,
            expiresAt: now.addingTimeInterval(duration), approval: approval)
    }

    private func checkManagerGrant(_ request: GrantRequest, grantor: Staff, customer: CustomerAccessFacts?, now: Date)
        throws(AccessError)
    {
        guard let profile = profiles[grantor.id], profile.scope.contains(.team), request.kind == .standard,
            request.permissions.isSubset(of: [.read, .write]), case .customer(let customerId) = request.target,
            profile.owners.contains(request.granteeId)
        else {
            throw AccessError(
                code: .notPermitted,
                message:
                    "only administrators may make this grant; managers may grant read or write on one of their customers to their own team"
            )
        }
        // A manager passes on only what they reach through their own scope, never a grant of theirs.
        let own = customer.map { profile.visibility($0, now: now) }
        guard let customer, customer.id == customerId, let own, own.isAllowed,
            own.reason != .customerGrant, own.reason != .segmentGrant, own.reason != .breakGlass
        else {
            throw AccessError(
                code: .notPermitted,
                message:
                    "managers may only grant customers they reach through their own team; pass the customer's facts")
        }
    }

    /// Approves a pending widening grant.
    ///
    /// - Throws: ``AccessError`` unless the approver is an active administrator other than the
    ///   grantor and the grantee, and the grant is pending and not yet expired.
    public func approveGrant(_ grant: AccessGrant, by approverId: UUID, now: Date) throws(AccessError) -> AccessGrant {
        guard grant.approval == .pending else {
            throw AccessError(code: .approvalNotNeeded, message: "the grant is not waiting for approval")
        }
        let approver = try activeStaff(approverId, role: "approver")
        guard approver.isAdmin, approverId != grant.grantorId, approverId != grant.granteeId else {
            throw AccessError(
                code: .invalidApprover,
                message: "a second administrator, neither the grantor nor the grantee, must approve")
        }
        guard now < grant.expiresAt, grant.revokedAt == nil else {
            throw AccessError(code: .invalidDuration, message: "the grant expired or was revoked; issue a new one")
        }
        var approved = grant
        approved.approval = .approved(by: approverId, at: now)
        return approved
    }

    /// Revokes a grant from `now` on. Administrators, the grantor and the grantee may revoke.
    public func revokeGrant(_ grant: AccessGrant, by actorId: UUID, now: Date) throws(AccessError) -> AccessGrant {
        guard let actor = staff(actorId) else {
            throw AccessError(code: .unknownStaff, message: "no member of staff \(actorId); check the id")
        }
        guard actor.isAdmin || actorId == grant.grantorId || actorId == grant.granteeId else {
            throw AccessError(code: .notPermitted, message: "only an administrator or the grantor may revoke a grant")
        }
        var revoked = grant
        if (revoked.revokedAt ?? .distantFuture) > now {
            revoked.revokedAt = now
            revoked.revokedBy = actorId
        }
        return revoked
    }

    /// Checks a role change and says whether it needs a second administrator: only active
    /// administrators change roles, never add roles to themselves (they may only drop roles),
    /// and only roles that exist. The requirement is judged by effect
    /// (``widening(from:to:now:)``): whatever the roles are called, a change that gives the person
    /// more than the bounds allow waits when the organisation requires a second administrator.
    public func checkRoleChange(_ change: RoleChange, by actorId: UUID, now: Date = Date()) throws(AccessError)
        -> ApprovalRequirement
    {
        let after = try applying(.assignRoles(change), by: actorId)
        let widenings = Self.widening(from: organisation, to: after, now: now)
        return !widenings.isEmpty && settings.requireSecondApprovalForWidening ? .secondAdministrator : .none
    }

    /// Checks the second administrator of a widening role change.
    public func approveRoleChange(_ change: RoleChange, requestedBy requesterId: UUID, approvedBy approverId: UUID)
        throws(AccessError)
    {
        guard approverId != change.staffId else {
            throw AccessError(
                code: .invalidApprover,
                message: "a second administrator, neither the requester nor the person concerned, must approve")
        }
        try approveChange(requestedBy: requesterId, approvedBy: approverId)
    }

    /// Checks the second administrator of any held change: an active administrator other than
    /// the requester. (Whoever the change widens may not approve it either; the caller checks
    /// that against the change's widenings.)
    public func approveChange(requestedBy requesterId: UUID, approvedBy approverId: UUID) throws(AccessError) {
        let approver = try activeStaff(approverId, role: "approver")
        guard approver.isAdmin, approverId != requesterId else {
            throw AccessError(
                code: .invalidApprover,
                message: "a second administrator, neither the requester nor the person concerned, must approve")
        }
    }

    func activeStaff(_ id: UUID, role: String) throws(AccessError) -> Staff {
        guard let person = staff(id) else {
            throw AccessError(code: .unknownStaff, message: "no member of staff \(id) (\(role)); check the id")
        }
        guard person.status == .active else {
            throw AccessError(
                code: .inactiveStaff, message: "the \(role) is \(person.status.rawValue) and may not do this")
        }
        return person
    }
}
