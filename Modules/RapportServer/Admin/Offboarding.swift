import Foundation
import RapportAccess
import RapportModels
import RapportSync

/// Offboarding in one command: revoke every device (each is told to wipe on its next request),
/// mark the person departed (every token revoked), reassign their customers to a named
/// colleague and/or team through the sync server's `serverWrite` (so devices receive the
/// change), and report what the person accessed in the last days from the audit log.
struct Offboarding {
    struct Request: Decodable {
        /// The colleague who takes over the person's customers.
        var reassignTo: UUID?
        /// The team the customers move to (with no colleague: owned by that team's first manager).
        var reassignTeam: UUID?
        /// Days of access history to report (default 60, 1–365).
        var reportDays: Int?
    }

    struct Reassignment: Codable, Sendable {
        /// `done`, `nothingToReassign` or `unavailable` (no record store on this server).
        var status: String
        var toStaff: UUID?
        var toTeam: UUID?
        var customers: [UUID]
        var message: String
    }

    struct Report: Codable, Sendable {
        var staff: StaffView
        var devicesRevoked: [UUID]
        var reassignment: Reassignment
        var access: AccessReport
    }

    let admin: AdminRequest

    func run(staff: Staff, request: Request) async throws -> Report {
        let services = admin.services
        let actor = try admin.actor.staff
        guard staff.id != actor.id else {
            throw ServerError(.forbidden, "administrators cannot offboard themselves; ask another administrator")
        }
        guard staff.status != .departed else {
            throw ServerError(.conflict, "\(staff.name) was already offboarded; see the audit log for the report")
        }
        let days = request.reportDays ?? 60
        guard (1...365).contains(days) else { throw ServerError.invalidField("reportDays", "must be from 1 to 365") }
        let organisation = try await services.storage.organisation()
        var owner: UUID?
        if let to = request.reassignTo {
            guard let colleague = organisation.staff.first(where: { $0.id == to }) else {
                throw ServerError(.notFound, "no member of staff has id \(to); name the colleague who takes over")
            }
            guard colleague.id != staff.id, colleague.status == .active else {
                throw ServerError.invalidField("reassignTo", "must be another, active member of staff")
            }
            owner = colleague.id
        }
        if let team = request.reassignTeam {
            guard organisation.teams.contains(where: { $0.id == team }) else {
                throw ServerError(.notFound, "no team has id \(team); list teams with GET /v1/admin/teams")
            }
            if owner == nil {
                owner = organisation.staff.first {
                    $0.teamId == team && $0.status == .active && $0.roles.contains(.manager)
                }?.id
                guard owner != nil else {
                    throw ServerError.invalidField(
                        "reassignTeam", "the team has no active manager to own the customers; also give reassignTo")
                }
            }
        }
        guard let owner else {
            throw ServerError.invalidField("reassignTo", "name the colleague (or team) who takes over the customers")
        }
        let newTeam = request.reassignTeam ?? organisation.staff.first { $0.id == owner }?.teamId

        // 1. Devices: revoked now, told to wipe on their next request.
        var revoked: [UUID] = []
        for device in try await services.storage.devices(staffId: staff.id) where device.device.status != .revoked {
            try await services.identity.revokeDevice(id: device.id)
            try await admin.audit(.deviceRevoked, records: [staff.id, device.id], reason: "offboarding")
            revoked.append(device.id)
        }
        // 2. Status: departed (every token revoked).
        try await services.identity.setStatus(staffId: staff.id, to: .departed)
        try await admin.audit(.statusChanged, records: [staff.id], reason: "\(staff.status.rawValue)→departed")
        await services.adminHooks.organisationChanged()

        // 3. Customers.
        let reassignment: Reassignment
        if let records = services.adminHooks.records {
            let owned = try await records.liveRecords(of: [.customer]).filter {
                $0.ownerId == staff.id || $0.fields["accountManagerId"]?.stringValue == staff.id.uuidString
            }
            var moved: [UUID] = []
            for record in owned.sorted(by: { $0.key < $1.key }) {
                var fields: FieldMap = [:]
                if record.ownerId == staff.id {
                    fields["ownerId"] = .string(owner.uuidString)
                    if let newTeam { fields["teamId"] = .string(newTeam.uuidString) }
                }
                if record.fields["accountManagerId"]?.stringValue == staff.id.uuidString {
                    fields["accountManagerId"] = .string(owner.uuidString)
                }
                try await records.serverWrite(record.key, fields: fields, actor: actor.id)
                moved.append(record.key.id)
            }
            if !moved.isEmpty {
                try await admin.audit(
                    "customersReassigned", records: [staff.id, owner] + moved, fields: ["ownerId", "teamId"],
                    reason: "offboarding")
            }
            reassignment = Reassignment(
                status: moved.isEmpty ? "nothingToReassign" : "done", toStaff: owner, toTeam: newTeam, customers: moved,
                message: "\(moved.count) customers now belong to \(owner)")
        } else {
            reassignment = Reassignment(
                status: "unavailable", toStaff: owner, toTeam: newTeam, customers: [],
                message:
                    "customer records are not available on this server yet; reassign with POST /v1/admin/customers/{id}/reassign once they are"
            )
        }

        // 4. What the person accessed.
        let access = try await AccessReport.make(staffId: staff.id, days: days, audit: services.audit)
        try await admin.audit("offboarded", records: [staff.id], reason: "report of \(days) days, \(access.entries) entries")
        var departed = staff
        departed.status = .departed
        return Report(staff: StaffView(departed), devicesRevoked: revoked, reassignment: reassignment, access: access)
    }
}

/// What a person did in the last days, from the audit log: counts by action, every record
/// touched and the entries themselves (newest first, at most 1000 listed).
struct AccessReport: Codable, Sendable {
    var staffId: UUID
    var from: Date
    var to: Date
    var entries: Int
    var actions: [String: Int]
    var records: [UUID]
    var lines: [AuditLine]

    static func make(staffId: UUID, days: Int, audit: AuditService, now: Date = Date()) async throws -> AccessReport {
        let from = now.addingTimeInterval(-Double(days) * 86_400)
        var lines: [AuditLine] = []
        var before: UInt64?
        var actions: [String: Int] = [:]
        var records = Set<UUID>()
        var count = 0
        while true {
            let page = try await audit.query(AuditQuery(staffId: staffId, from: from, before: before, limit: 1_000))
            for line in page.entries where line.actorId == staffId {
                count += 1
                actions[line.action, default: 0] += 1
                records.formUnion(line.recordIds.filter { $0 != staffId })
                if lines.count < 1_000 { lines.append(line) }
            }
            guard let next = page.nextCursor.flatMap(UInt64.init) else { break }
            before = next
        }
        return AccessReport(
            staffId: staffId, from: from, to: now, entries: count, actions: actions,
            records: records.sorted { $0.uuidString < $1.uuidString }, lines: lines)
    }
}
