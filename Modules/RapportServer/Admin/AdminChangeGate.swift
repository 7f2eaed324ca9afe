import Foundation
import Hummingbird
import RapportAccess
import RapportModels

/// A change waiting for a second administrator (or decided), kept in the `pendingChanges` setting.
struct PendingChange: Codable, Sendable {
    var id: UUID
    var change: OrganisationChange
    var summary: String
    /// The widenings found when it was requested (recomputed at approval).
    var widenings: [Widening]
    var requestedBy: UUID
    var requestedAt: Date
    /// `pending`, `approved` or `rejected`.
    var status: String
    var decidedBy: UUID?
    var decidedAt: Date?
}

/// The one path every administrative change to the organisation takes: it computes the
/// organisation after the change, asks ``AccessPolicy/widening(from:to:now:)`` what grows
/// beyond the bounds, and either applies the change or holds it for a second administrator
/// (202 with the pending request). A held change has no effect; approval re-applies it to the
/// organisation as it is then, and re-judges it.
struct AdminChangeGate {
    static let settingKey = "pendingChanges"

    /// A change judged against the organisation as it is.
    struct Judgement {
        var before: Organisation
        var after: Organisation
        var widenings: [Widening]
        /// Whether a second administrator must approve.
        var held: Bool { !widenings.isEmpty && before.settings.requireSecondApprovalForWidening }
    }

    /// What ``submit(_:audit:records:reason:)`` did.
    enum Outcome {
        case applied(Organisation)
        case pending(PendingChange)
    }

    let admin: AdminRequest
    var services: ServerServices { admin.services }

    /// Judges `change` by `actorId` against `before` (default: the stored organisation).
    func judge(_ change: OrganisationChange, before: Organisation? = nil) async throws -> Judgement {
        let organisation: Organisation
        if let before {
            organisation = before
        } else {
            organisation = try await services.storage.organisation()
        }
        let actor = try admin.actor.staff.id
        let after = try checked { try AccessPolicy(organisation).applying(change, by: actor) }
        return Judgement(
            before: organisation, after: after,
            widenings: AccessPolicy.widening(from: organisation, to: after, now: Date()))
    }

    /// Applies `change` when it widens nobody beyond the bounds, else stores it as pending.
    func submit(
        _ change: OrganisationChange, audit action: AuditAction, records: [UUID] = [], reason: String = "",
        before: Organisation? = nil
    ) async throws -> Outcome {
        try await services.adminHooks.changeTurns.withTurn(["organisation"]) {
            let judgement = try await judge(change, before: before)
            guard judgement.held else {
                try await persist(judgement)
                try await admin.auditChange(action, records: records, reason: reason.isEmpty ? change.summary : reason)
                return .applied(judgement.after)
            }
            let pending = PendingChange(
                id: UUID(), change: change, summary: change.summary, widenings: judgement.widenings,
                requestedBy: try admin.actor.staff.id, requestedAt: Date(), status: "pending")
            try await save(pending)
            let widened = Set(judgement.widenings.compactMap(\.staffId)).subtracting(records)
            try await admin.audit(
                action, records: records + widened.sorted { $0.uuidString < $1.uuidString } + [pending.id], allowed: false,
                reason: "pending second administrator: \(judgement.widenings.map(\.description).joined(separator: "; "))")
            return .pending(pending)
        }
    }

    /// Approves a pending change: the approver is an active administrator, neither the
    /// requester nor anyone the change widens (judged again now); then applies it.
    func approve(_ id: UUID) async throws -> (PendingChange, Organisation) {
        try await services.adminHooks.changeTurns.withTurn(["organisation"]) {
            var pending = try await change(id)
            guard pending.status == "pending" else {
                throw ServerError(.conflict, "the request was already \(pending.status)")
            }
            let approver = try admin.actor.staff.id
            let organisation = try await services.storage.organisation()
            try checked {
                try AccessPolicy(organisation).approveChange(requestedBy: pending.requestedBy, approvedBy: approver)
            }
            let requester = pending.requestedBy
            let after = try checked { try AccessPolicy(organisation).applying(pending.change, by: requester) }
            let widenings = AccessPolicy.widening(from: organisation, to: after, now: Date())
            guard !widenings.contains(where: { $0.staffId == approver }) else {
                throw ServerError(.forbidden, "the change widens your own access; another administrator must approve it")
            }
            try await persist(Judgement(before: organisation, after: after, widenings: widenings))
            pending.status = "approved"
            pending.decidedBy = approver
            pending.decidedAt = Date()
            pending.widenings = widenings
            try await save(pending)
            let widened = Array(Set(widenings.compactMap(\.staffId))).sorted { $0.uuidString < $1.uuidString }
            try await admin.auditChange("changeApproved", records: [id] + widened, reason: pending.summary)
            return (pending, after)
        }
    }

    /// Rejects a pending change (any administrator, the requester included, may withdraw it).
    func reject(_ id: UUID) async throws -> PendingChange {
        try await services.adminHooks.changeTurns.withTurn(["organisation"]) {
            var pending = try await change(id)
            guard pending.status == "pending" else {
                throw ServerError(.conflict, "the request was already \(pending.status)")
            }
            pending.status = "rejected"
            pending.decidedBy = try admin.actor.staff.id
            pending.decidedAt = Date()
            try await save(pending)
            try await admin.audit("changeRejected", records: [id], reason: pending.summary)
            return pending
        }
    }

    /// Where changes are kept: pending ones and the newest 500 decided ones.
    private var list: StoredRequestList<PendingChange> {
        StoredRequestList(
            key: Self.settingKey, storage: services.storage, isPending: { $0.status == "pending" }, id: \.id)
    }

    /// Every stored change, newest first.
    func changes() async throws -> [PendingChange] {
        try await list.all()
    }

    func change(_ id: UUID) async throws -> PendingChange {
        guard let found = try await changes().first(where: { $0.id == id }) else {
            throw ServerError(.notFound, "no change request has id \(id); list them with GET /v1/admin/changes")
        }
        return found
    }

    private func save(_ change: PendingChange) async throws {
        try await list.save(change)
    }

    /// Writes what differs between `before` and `after` to storage.
    private func persist(_ judgement: Judgement) async throws {
        let storage = services.storage
        let (before, after) = (judgement.before, judgement.after)
        let oldTeams = Dictionary(before.teams.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for team in after.teams where oldTeams[team.id] != team { try await storage.saveTeam(team) }
        let oldRoles = Dictionary(before.roles.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for role in after.roles where oldRoles[role.id] != role { try await storage.saveRole(role) }
        let oldGrants = Dictionary(before.grants.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for grant in after.grants where oldGrants[grant.id] != grant { try await storage.saveGrant(grant) }
        let oldStaff = Dictionary(before.staff.map { ($0.id, $0) }, uniquingKeysWith: { $1 })
        for person in after.staff where oldStaff[person.id] != person {
            var saved = person
            if let old = oldStaff[person.id], old.status != person.status {
                saved.status = old.status
                if saved != old { try await storage.saveStaff(saved) }
                try await services.identity.setStatus(staffId: person.id, to: person.status)
            } else {
                try await storage.saveStaff(person)
            }
        }
        if after.settings != before.settings { try await storage.saveAccessSettings(after.settings) }
    }
}
