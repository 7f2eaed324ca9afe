import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// The rules of customer exports, the first thing a departing administrator would try: every
/// export is held for a second administrator (whatever `requireSecondApprovalForWidening`
/// says), the approval opens a download window of ``downloadWindow`` for the requester alone,
/// the download works once, and it counts against the requester's quotas (``QuotaLimits``'s
/// exports per day and distinct customers per day, in the database like sync's). Request,
/// approval, rejection and download are audited with their counts.
///
/// Runs inside the admin API's write unit (``AdminUnitOfWorkMiddleware``): a download that is
/// refused (quota) writes nothing, and two downloads of one export cannot both succeed.
struct CustomerExportDesk {
    static let settingKey = "customerExports"
    /// How long an approved export may be downloaded.
    static let downloadWindow: TimeInterval = 15 * 60

    let admin: AdminRequest
    var services: ServerServices { admin.services }
    var now: Date { services.activity.now() }

    /// Records a request for an export of every customer the requester may export.
    func request(reason: String) async throws -> CustomerExport {
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (3...500).contains(reason.count) else {
            throw ServerError.invalidField("reason", "say why, in 3 to 500 characters (the approver reads it)")
        }
        let requester = try admin.actor
        let policy = try await admin.policy()
        try Self.requireExportAllowance(policy, staffId: requester.staff.id)
        let customers = try await exportable(policy: policy, principal: Principal(staffId: requester.staff.id)).count
        return try await withTurn {
            let export = CustomerExport(
                id: UUID(), requestedBy: requester.staff.id, requestedAt: now, reason: reason, customers: customers,
                status: "pending")
            try await save(export)
            try await admin.audit(
                "exportRequested", records: [export.id], allowed: false,
                reason: "customer export of \(customers) customers, pending second administrator: \(reason)")
            return export
        }
    }

    /// Approves a pending export: another active administrator than the requester.
    func approve(_ id: UUID) async throws -> CustomerExport {
        try await decide(id, as: "approved") { export, approver, policy in
            try checked { try policy.approveChange(requestedBy: export.requestedBy, approvedBy: approver) }
            export.expiresAt = now.addingTimeInterval(Self.downloadWindow)
            return (
                "exportApproved",
                "customer export of \(export.customers) customers; download once until \(RapportJSON.string(from: export.expiresAt!))"
            )
        }
    }

    /// Rejects (or, by the requester, withdraws) a pending export.
    func reject(_ id: UUID) async throws -> CustomerExport {
        try await decide(id, as: "rejected") { export, _, _ in ("exportRejected", export.reason) }
    }

    /// Decides a pending export: `body` checks the decider (against the current policy) and
    /// completes the export, and names the audit action and reason; the export and the requester
    /// are the audited records.
    private func decide(
        _ id: UUID, as status: String,
        _ body: (inout CustomerExport, UUID, AccessPolicy) throws -> (action: AuditAction, reason: String)
    ) async throws -> CustomerExport {
        let policy = try await admin.policy()
        return try await withTurn {
            var export = try await find(id)
            guard export.status == "pending" else {
                throw ServerError(.conflict, "export \(id) is already \(export.status(at: now)); request a new one")
            }
            let decider = try admin.actor.staff.id
            let (action, reason) = try body(&export, decider, policy)
            export.status = status
            export.decidedBy = decider
            export.decidedAt = now
            try await save(export)
            try await admin.audit(action, records: [id, export.requestedBy], reason: reason)
            return export
        }
    }

    /// The approved export's customers as JSON Lines (one customer's fields per line, masked as
    /// the requester reads them), once, for the requester, within the window and the quotas.
    func download(_ id: UUID) async throws -> (export: CustomerExport, body: Data) {
        try await withTurn {
            var export = try await find(id)
            let requester = try admin.actor
            guard export.requestedBy == requester.staff.id else {
                throw ServerError(.forbidden, "only the administrator who requested export \(id) may download it")
            }
            switch export.status(at: now) {
            case "approved": break
            case "pending":
                throw ServerError(.forbidden, "export \(id) waits for a second administrator's approval")
            case "downloaded":
                throw ServerError(.forbidden, "export \(id) was already downloaded; an approval is good for one download — request a new export")
            case "expired":
                throw ServerError(.forbidden, "the approval of export \(id) expired at \(RapportJSON.string(from: export.expiresAt!)); request a new export")
            default:
                throw ServerError(.forbidden, "export \(id) was \(export.status); request a new export")
            }
            let policy = try await admin.policy()
            try Self.requireExportAllowance(policy, staffId: requester.staff.id)
            let limits = policy.quotaLimits(for: requester.staff.id)
            let today = policy.settings.clock.day(of: now)
            let downloadedToday = try await exports().filter {
                $0.requestedBy == requester.staff.id && $0.downloadedAt.map(policy.settings.clock.day(of:)) == today
            }.count
            guard downloadedToday < limits.exportsPerDay else {
                throw ServerError(
                    .rateLimited, "you made \(downloadedToday) exports today, your daily quota; download it tomorrow",
                    retryAfterSeconds: secondsToNextDay(policy))
            }
            let principal = Principal(staffId: requester.staff.id)
            let records = try await exportable(policy: policy, principal: principal)
            let customerIds = records.map(\.key.id)
            let (admitted, refusal) = try await services.sync.quotas.admit(
                customerIds, free: [], staffId: requester.staff.id, policy: policy, now: now)
            if refusal != nil {
                throw ServerError(
                    .rateLimited,
                    "the export holds \(records.count) customers but your daily quota of distinct customers leaves room for \(admitted); download it tomorrow",
                    retryAfterSeconds: secondsToNextDay(policy))
            }
            var body = Data()
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            for record in records {
                var fields = policy.mask(record.fields, kind: .customer, for: principal, now: now).fields
                fields["id"] = .string(record.key.id.uuidString)
                body.append(try encoder.encode(fields))
                body.append(0x0A)
            }
            export.status = "downloaded"
            export.downloadedAt = now
            export.downloadedCustomers = records.count
            try await save(export)
            try await admin.audit(
                .export, records: [id] + customerIds,
                reason: "customer export \(id): \(records.count) customers, approved by \(export.decidedBy?.uuidString ?? "?")")
            try await services.activity.exported(requester.staff.id, customers: customerIds, now: now)
            return (export, body)
        }
    }

    /// Where exports are kept: pending ones and the newest 500 decided ones.
    private var list: StoredRequestList<CustomerExport> {
        StoredRequestList(
            key: Self.settingKey, storage: services.storage, isPending: { $0.status == "pending" }, id: \.id)
    }

    /// Every export, newest first.
    func exports() async throws -> [CustomerExport] {
        try await list.all()
    }

    func find(_ id: UUID) async throws -> CustomerExport {
        guard let found = try await exports().first(where: { $0.id == id }) else {
            throw ServerError(.notFound, "no customer export has id \(id); list them with GET /v1/admin/customers/exports")
        }
        return found
    }

    /// The live customers `principal` may export, by id.
    private func exportable(policy: AccessPolicy, principal: Principal) async throws -> [StoredRecord] {
        let records = try services.adminHooks.requireRecords()
        return try await records.liveRecords(of: [.customer]).filter { record in
            guard let facts = AccessScopeProvider.facts(customerId: record.key.id, fields: record.fields) else {
                return false
            }
            return policy.canExport(principal, .customer, of: facts, now: now).isAllowed
        }.sorted { $0.key.id.uuidString < $1.key.id.uuidString }
    }

    /// 403 unless the person's roles allow any export at all (sales roles do not).
    private static func requireExportAllowance(_ policy: AccessPolicy, staffId: UUID) throws(ServerError) {
        guard policy.quotaLimits(for: staffId).exportsPerDay > 0 else {
            throw ServerError(.forbidden, "your roles allow no exports (exportsPerDay is 0); ask an administrator")
        }
    }

    private func secondsToNextDay(_ policy: AccessPolicy) -> Int {
        let clock = policy.settings.clock
        let seconds = Int(now.timeIntervalSince1970) + clock.utcOffsetSeconds
        return 86_400 - ((seconds % 86_400) + 86_400) % 86_400
    }

    private func withTurn<T>(_ body: () async throws -> T) async throws -> T {
        try await services.adminHooks.changeTurns.withTurn([Self.settingKey], body)
    }

    private func save(_ export: CustomerExport) async throws {
        try await list.save(export)
    }
}
