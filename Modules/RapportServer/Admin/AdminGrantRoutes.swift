import Foundation
import Hummingbird
import RapportAccess
import RapportModels

/// Grants: `POST /v1/admin/grants` (expiry always: `for` or `until`; reason required),
/// `GET /v1/admin/grants` (`?staff=`), `POST /v1/admin/grants/{id}/revoke`,
/// `POST /v1/admin/grants/{id}/approve` (a second administrator). A grant that widens the
/// grantee beyond the bounds (``AdminChangeGate``) is stored pending and answered with 202.
struct AdminGrantRoutes: RouteModule {
    /// What a grant covers on the wire: exactly one of `customer`, `segment`, `organisation`.
    struct TargetBody: Codable, Sendable {
        var customer: UUID?
        var segment: CustomerSegment?
        var organisation: Bool?

        init(_ target: GrantTarget) {
            switch target {
            case .customer(let id): customer = id
            case .segment(let segment): self.segment = segment
            case .organisation: organisation = true
            }
        }

        func target() throws(ServerError) -> GrantTarget {
            if organisation == false {
                throw ServerError.invalidField("target.organisation", "must be true when given; leave it out otherwise")
            }
            switch (customer, segment, organisation ?? false) {
            case (let id?, nil, false): return .customer(id)
            case (nil, let segment?, false): return .segment(segment)
            case (nil, nil, true): return .organisation
            default: throw ServerError.invalidField("target", "give exactly one of customer, segment or organisation")
            }
        }
    }

    struct NewGrant: Decodable {
        var granteeId: UUID
        var target: TargetBody
        var permissions: [String]?
        var kind: String?
        var reason: String?
        /// How long: `90m`, `4h`, `7d`.
        var `for`: String?
        /// Until when (ISO-8601).
        var until: Date?
    }

    struct GrantView: Codable, Sendable {
        var id: UUID
        var granteeId: UUID
        var grantorId: UUID
        var target: TargetBody
        var permissions: [String]
        var kind: String
        var reason: String
        var createdAt: Date
        var expiresAt: Date
        var approval: String
        var approvedBy: UUID?
        var revokedAt: Date?
        var revokedBy: UUID?
        var effective: Bool

        init(_ grant: AccessGrant, now: Date = Date()) {
            id = grant.id
            granteeId = grant.granteeId
            grantorId = grant.grantorId
            target = TargetBody(grant.target)
            permissions = [(GrantPermissions.read, "read"), (.write, "write"), (.export, "export")]
                .filter { grant.permissions.contains($0.0) }.map(\.1)
            kind = grant.kind.rawValue
            reason = grant.reason
            createdAt = grant.createdAt
            expiresAt = grant.expiresAt
            switch grant.approval {
            case .notRequired: approval = "notRequired"
            case .pending: approval = "pending"
            case .approved(let by, _):
                approval = "approved"
                approvedBy = by
            }
            revokedAt = grant.revokedAt
            revokedBy = grant.revokedBy
            effective = grant.isEffective(at: now)
        }
    }

    /// `90m`, `4h`, `7d` → seconds.
    static func duration(_ text: String) throws(ServerError) -> TimeInterval {
        let units: [Character: TimeInterval] = ["m": 60, "h": 3_600, "d": 86_400]
        // Exactly `^[1-9][0-9]{0,5}[mhd]$` (Docs/openapi.yaml): no sign, no leading zero.
        let digits = text.dropLast()
        guard let unit = text.last.flatMap({ units[$0] }), (1...6).contains(digits.count),
            digits.allSatisfy({ ("0"..."9").contains($0) }), digits.first != "0", let count = Int(digits)
        else {
            throw ServerError.invalidField("for", "must be a duration such as 90m, 4h or 7d")
        }
        return TimeInterval(count) * unit
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("grants") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(NewGrant.self)
            let now = Date()
            let duration: TimeInterval
            switch (body.for, body.until) {
            case (let text?, nil): duration = try Self.duration(text)
            case (nil, let until?):
                guard until > now else {
                    throw ServerError(.conflict, "field 'until': \(RapportJSON.string(from: until)) has passed; give a moment in the future")
                }
                duration = until.timeIntervalSince(now)
            case (nil, nil): throw ServerError.invalidField("for", "every grant expires: give 'for' (e.g. 7d) or 'until'")
            default: throw ServerError.invalidField("until", "give 'for' or 'until', not both")
            }
            guard let reason = body.reason, !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw ServerError.invalidField("reason", "say why the grant is needed")
            }
            var permissions: GrantPermissions = []
            for name in body.permissions ?? ["read"] {
                switch name {
                case "read": permissions.insert(.read)
                case "write": permissions.insert(.write)
                case "export": permissions.insert(.export)
                default: throw ServerError.invalidField("permissions", "may hold read, write and export")
                }
            }
            guard let kind = GrantKind(rawValue: body.kind ?? "standard") else {
                throw ServerError.invalidField("kind", "must be standard or breakGlass")
            }
            let target = try body.target.target()
            _ = try await admin.staff(body.granteeId)
            let actor = try admin.actor.staff.id
            // Judged by effect like every admin change, in the same turn as the others (the bound
            // on grants counts those already issued); a held grant is stored pending (no effect).
            let (grant, judgement) = try await services.adminHooks.changeTurns.withTurn(["organisation"]) {
                let policy = try await admin.policy()
                var grant = try checked {
                    try policy.issueGrant(
                        GrantRequest(
                            granteeId: body.granteeId, target: target, permissions: permissions, kind: kind,
                            reason: reason, duration: duration), by: actor, now: now)
                }
                let judgement = try await AdminChangeGate(admin: admin).judge(.issueGrant(grant), before: policy.organisation)
                grant.approval = judgement.held ? .pending : .notRequired
                try await services.storage.saveGrant(grant)
                return (grant, judgement)
            }
            let held = judgement.held ? "; pending second administrator: " + judgement.widenings.map(\.description).joined(separator: "; ") : ""
            try await admin.auditChange(
                kind == .breakGlass ? .breakGlass : .grantIssued, records: [grant.granteeId, grant.id] + target.recordIds,
                reason: reason + held)
            return try Response.json(GrantView(grant, now: now), status: judgement.held ? .accepted : .created)
        }
        groups.admin.get("grants") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            var grants = try await services.storage.organisation().grants
            if let staff = try admin.queryID("staff") { grants = grants.filter { $0.granteeId == staff } }
            let now = Date()
            switch try admin.query("effective") {
            case nil, "false"?: break
            case "true"?: grants = grants.filter { $0.isEffective(at: now) }
            default: throw ServerError.invalidField("effective", "must be true or false")
            }
            grants.sort { ($0.createdAt, $0.id.uuidString) > ($1.createdAt, $1.id.uuidString) }
            return try Response.json(ItemList(items: grants.map { GrantView($0, now: now) }))
        }
        groups.admin.post("grants/{id}/revoke") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let (grant, policy) = try await Self.grant(admin)
            let actor = try admin.actor.staff.id
            let revoked = try checked { try policy.revokeGrant(grant, by: actor, now: Date()) }
            try await services.storage.saveGrant(revoked)
            try await admin.auditChange(.grantRevoked, records: [grant.granteeId, grant.id])
            return try Response.json(GrantView(revoked))
        }
        groups.admin.post("grants/{id}/approve") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let (grant, policy) = try await Self.grant(admin)
            let actor = try admin.actor.staff.id
            let approved = try checked { try policy.approveGrant(grant, by: actor, now: Date()) }
            try await services.storage.saveGrant(approved)
            try await admin.auditChange(.grantApproved, records: [grant.granteeId, grant.id], reason: grant.reason)
            return try Response.json(GrantView(approved))
        }
    }

    private static func grant(_ admin: AdminRequest) async throws -> (AccessGrant, AccessPolicy) {
        let id = try admin.id()
        let policy = try await admin.policy()
        guard let grant = policy.organisation.grants.first(where: { $0.id == id }) else {
            throw ServerError(.notFound, "no grant has id \(id); list grants with GET /v1/admin/grants")
        }
        return (grant, policy)
    }
}

extension GrantTarget {
    /// The customer a grant names, for the audit entry.
    var recordIds: [UUID] {
        if case .customer(let id) = self { return [id] }
        return []
    }
}
