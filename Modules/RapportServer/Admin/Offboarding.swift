import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

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
                throw ServerError(.conflict, "field 'reassignTo': must be another, active member of staff")
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
                    throw ServerError(
                        .conflict, "field 'reassignTeam': the team has no active manager to own the customers; also give reassignTo")
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
        return Report(staff: try await admin.view(departed), devicesRevoked: revoked, reassignment: reassignment, access: access)
    }
}

/// What a person did and received in the last days, from the audit log (which is
/// tamper-evident): counts by action, every record touched, the entries themselves (newest
/// first, at most 1000 listed), and a summary of what reached them — customers and records per
/// kind (`recordsSent`), sensitive values revealed or read in clear (`reveal`, `sensitiveRead`),
/// exports, refusals (`accessDenied`), sign-ins, devices used and alerts raised about them.
struct AccessReport: Codable, Sendable {
    /// What reached the person's devices (`recordsSent`: pull pages and push answers).
    struct Received: Codable, Sendable, Equatable {
        /// Distinct customers whose records were sent.
        var customers: Int
        /// Their ids, sorted.
        var customerIds: [UUID]
        /// Records sent per kind (`customer`, `contact`, …), counting each delivery.
        var records: [String: Int]
        /// Pull pages and push answers that carried records.
        var deliveries: Int
    }

    /// Sensitive values the person saw in clear.
    struct Sensitive: Codable, Sendable, Equatable {
        /// Masked values revealed on request (`reveal` entries).
        var reveals: Int
        /// Deliveries carrying sensitive fields in clear (`sensitiveRead` entries).
        var clearReads: Int
        /// Distinct records concerned by either.
        var records: Int
        /// The field paths concerned, sorted.
        var fields: [String]
    }

    var staffId: UUID
    var from: Date
    var to: Date
    var entries: Int
    var actions: [String: Int]
    var records: [UUID]
    var lines: [AuditLine]
    var received: Received
    var sensitive: Sensitive
    /// Exports made (`export` entries).
    var exports: Int
    /// Requests and push mutations refused by policy or quota (`accessDenied`).
    var refusals: Int
    /// Sign-ins (`login` entries).
    var logins: Int
    /// Devices that acted for the person, sorted.
    var devices: [UUID]
    /// Anomaly alerts raised about the person (`alertRaised`).
    var alerts: Int

    static func make(staffId: UUID, days: Int, audit: AuditService, now: Date = Date()) async throws -> AccessReport {
        let from = now.addingTimeInterval(-Double(days) * 86_400)
        var report = AccessReport(
            staffId: staffId, from: from, to: now, entries: 0, actions: [:], records: [], lines: [],
            received: Received(customers: 0, customerIds: [], records: [:], deliveries: 0),
            sensitive: Sensitive(reveals: 0, clearReads: 0, records: 0, fields: []), exports: 0, refusals: 0,
            logins: 0, devices: [], alerts: 0)
        var records = Set<UUID>()
        var customers = Set<UUID>()
        var sensitiveRecords = Set<UUID>()
        var sensitiveFields = Set<String>()
        var devices = Set<UUID>()
        var before: UInt64?
        while true {
            let page = try await audit.query(AuditQuery(staffId: staffId, from: from, before: before, limit: 1_000))
            for line in page.entries {
                let alertAboutThem = line.action == AuditAction.alertRaised.rawValue && line.recordIds.first == staffId
                if line.actorId == nil, alertAboutThem { report.alerts += 1 }
                guard line.actorId == staffId else { continue }
                report.entries += 1
                report.actions[line.action, default: 0] += 1
                records.formUnion(line.recordIds.filter { $0 != staffId })
                if let device = line.deviceId { devices.insert(device) }
                if report.lines.count < 1_000 { report.lines.append(line) }
                switch AuditAction(rawValue: line.action) {
                case .recordsSent:
                    report.received.deliveries += 1
                    customers.formUnion(line.recordIds)
                    for (kind, count) in Self.counts(in: line.reason) {
                        report.received.records[kind, default: 0] += count
                    }
                case .reveal, .sensitiveRead:
                    if line.action == AuditAction.reveal.rawValue {
                        report.sensitive.reveals += 1
                    } else {
                        report.sensitive.clearReads += 1
                    }
                    sensitiveRecords.formUnion(line.recordIds)
                    sensitiveFields.formUnion(line.fields)
                case .export: report.exports += 1
                case .accessDenied: report.refusals += Self.counts(in: line.reason)["forbidden"] ?? 1
                case .login: report.logins += 1
                default: break
                }
            }
            guard let next = page.nextCursor.flatMap(UInt64.init) else { break }
            before = next
        }
        report.records = records.sorted { $0.uuidString < $1.uuidString }
        report.received.customers = customers.count
        report.received.customerIds = customers.sorted { $0.uuidString < $1.uuidString }
        report.sensitive.records = sensitiveRecords.count
        report.sensitive.fields = sensitiveFields.sorted()
        report.devices = devices.sorted { $0.uuidString < $1.uuidString }
        return report
    }

    /// The `name=count` pairs of an audit reason (`"pull customer=12 contact=3"`).
    static func counts(in reason: String) -> [String: Int] {
        var counts: [String: Int] = [:]
        for token in reason.split(separator: " ") {
            let parts = token.split(separator: "=", maxSplits: 1)
            if parts.count == 2, let count = Int(parts[1]) { counts[String(parts[0]), default: 0] += count }
        }
        return counts
    }
}
