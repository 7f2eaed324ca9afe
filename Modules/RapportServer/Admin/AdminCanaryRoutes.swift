import Foundation
import Hummingbird
import RapportAccess
import RapportCrypto
import RapportModels
import RapportSyncServer

/// Canary customers (Docs/Security.md, "Canary records"):
///
/// - `POST /v1/admin/canaries` `{"staffId": "<id>", "count": 3}` plants that person's canaries
///   (derived by `CanaryGenerator` from the server's canary secret) as customers they own,
///   written through the sync server's server-write path so they reach that person's devices.
///   Planting again is harmless: canaries already present are left alone.
/// - `GET /v1/admin/canaries?staff=<id>` lists the planted canaries (everyone's, or one person's).
/// - `POST /v1/admin/canaries/trace` `{"value": "+86 138 1234 5678"}` (a phone, e-mail, id or
///   name) or `{"text": "<leaked file>"}` names the member(s) of staff whose canary it is,
///   departed staff included.
///
/// The secret is 32 random bytes in `canary.key` in the data directory (mode 0600), made on
/// first use; keep a copy apart from other keys — without it, canaries can no longer be traced.
struct AdminCanaryRoutes: RouteModule {
    /// The most canaries one person can have; tracing re-derives this many per person.
    static let maximumPerStaff = 10

    struct Plant: Decodable {
        var staffId: UUID
        var count: Int?
    }

    struct Trace: Decodable {
        var value: String?
        var text: String?
    }

    /// A canary as the admin API shows it.
    struct CanaryView: Codable, Sendable {
        var staffId: UUID
        var index: Int
        var customerId: UUID
        var name: String
        var phone: String
        var email: String
        /// The customer's current owner (differs from `staffId` after a reassignment).
        var ownerId: UUID?
    }

    struct Planted: Codable, Sendable {
        var staffId: UUID
        var planted: [CanaryView]
        var alreadyPresent: [CanaryView]
    }

    struct TracedStaff: Codable, Sendable {
        var staffId: UUID
        var name: String
        var status: String
        var matches: [CanaryMatch]
    }

    struct Traced: Codable, Sendable {
        var staff: [TracedStaff]
    }

    func register(in groups: RouteGroups) {
        let services = groups.services
        groups.admin.post("canaries") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(Plant.self)
            let count = body.count ?? 3
            guard (1...Self.maximumPerStaff).contains(count) else {
                throw ServerError.invalidField("count", "must be from 1 to \(Self.maximumPerStaff)")
            }
            let staff = try await admin.staff(body.staffId)
            guard staff.status != .departed else {
                throw ServerError(.conflict, "\(staff.name) has departed; canaries go to people who still have devices")
            }
            let records = try services.adminHooks.requireRecords()
            let generator = CanaryGenerator(secret: try Self.secret(services))
            let present = Dictionary(
                try await records.liveRecords(of: [.customer]).map { ($0.key.id, $0) }, uniquingKeysWith: { a, _ in a })
            var planted: [CanaryView] = []
            var already: [CanaryView] = []
            let now = Date()
            for canary in generator.canaries(for: staff.id, count: count) {
                if let record = present[canary.id] {
                    already.append(Self.view(canary, ownerId: record.ownerId))
                    continue
                }
                let customer = Customer(
                    id: canary.id, kind: .individual, name: canary.name, sourceChannel: .referral, ownerId: staff.id,
                    teamId: staff.teamId, createdAt: now,
                    individual: IndividualProfile(phones: [canary.phone], emails: [canary.email]))
                let fields = try customer.fieldMap().filter { !$0.value.isNull }
                try await records.serverWrite(RecordKey(.customer, canary.id), fields: fields, actor: nil)
                planted.append(Self.view(canary, ownerId: staff.id))
            }
            // The audit log names the person, never the canaries' ids or values.
            try await admin.audit(
                "canariesPlanted", records: [staff.id],
                reason: "\(planted.count) planted, \(already.count) already present")
            return try Response.json(
                Planted(staffId: staff.id, planted: planted, alreadyPresent: already),
                status: planted.isEmpty ? .ok : .created)
        }
        groups.admin.get("canaries") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let only = try admin.queryID("staff")
            let organisation = try await services.storage.organisation()
            let staffIds =
                try only.map { id throws(ServerError) in
                    guard organisation.staff.contains(where: { $0.id == id }) else {
                        throw ServerError(
                            .notFound, "no member of staff has id \(id); list staff with GET /v1/admin/staff")
                    }
                    return [id]
                } ?? organisation.staff.map(\.id)
            let records = try services.adminHooks.requireRecords()
            let tracer = CanaryTracer(
                generator: CanaryGenerator(secret: try Self.secret(services)), staffIds: staffIds,
                perStaff: Self.maximumPerStaff)
            let present = Dictionary(
                try await records.liveRecords(of: [.customer]).map { ($0.key.id, $0) }, uniquingKeysWith: { a, _ in a })
            let items = tracer.canaries.compactMap { canary in
                present[canary.id].map { Self.view(canary, ownerId: $0.ownerId) }
            }
            try await admin.audit("canariesListed", records: only.map { [$0] } ?? [], reason: "\(items.count) canaries")
            return try Response.json(ItemList(items: items))
        }
        groups.admin.post("canaries/trace") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(Trace.self)
            let value = body.value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let text = body.text ?? ""
            guard value.isEmpty != text.isEmpty else {
                throw ServerError.invalidField(
                    "value", "give either 'value' (one phone, e-mail, id or name) or 'text' (a leaked file), not both")
            }
            let organisation = try await services.storage.organisation()
            let tracer = CanaryTracer(
                generator: CanaryGenerator(secret: try Self.secret(services)), staffIds: organisation.staff.map(\.id),
                perStaff: Self.maximumPerStaff)
            let matches = value.isEmpty ? tracer.traceText(text) : tracer.trace(value)
            let byStaff = Dictionary(grouping: matches, by: \.staffId)
            let people = Dictionary(organisation.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let staff = byStaff.keys.sorted { $0.uuidString < $1.uuidString }.map { id in
                TracedStaff(
                    staffId: id, name: people[id]?.name ?? "", status: people[id]?.status.rawValue ?? "unknown",
                    matches: byStaff[id] ?? [])
            }
            // The audit log names who was traced, never the leaked value.
            try await admin.audit(
                "canaryTraced", records: staff.map(\.staffId), reason: "\(matches.count) matches")
            return try Response.json(Traced(staff: staff))
        }
    }

    static func view(_ canary: CanaryCustomer, ownerId: UUID?) -> CanaryView {
        CanaryView(
            staffId: canary.staffId, index: canary.index, customerId: canary.id, name: canary.name, phone: canary.phone,
            email: canary.email, ownerId: ownerId)
    }

    /// The ids of every canary that can exist (`maximumPerStaff` per member of staff, departed
    /// included), or none when no canary secret was ever made; the insights leave them out.
    static func possibleCanaryIds(_ services: ServerServices, organisation: Organisation) throws(ServerError) -> Set<
        UUID
    > {
        guard let secret = try secret(services, create: false) else { return [] }
        let tracer = CanaryTracer(
            generator: CanaryGenerator(secret: secret), staffIds: organisation.staff.map(\.id),
            perStaff: maximumPerStaff)
        return Set(tracer.canaries.map(\.id))
    }

    /// The server's canary secret, from `canary.key` in the data directory (made on first use).
    static func secret(_ services: ServerServices) throws(ServerError) -> SymmetricKey {
        guard let key = try secret(services, create: true) else {
            throw ServerError(.storage, "cannot create the canary key file; check the data directory's permissions")
        }
        return key
    }

    /// The canary secret; `nil` when the file does not exist and `create` is false.
    static func secret(_ services: ServerServices, create: Bool) throws(ServerError) -> SymmetricKey? {
        let path = services.dataDirectory.path + "/canary.key"
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            guard create else { return nil }
            let bytes = SecureRandom.bytes(count: 32)
            guard manager.createFile(atPath: path, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
                throw ServerError(
                    .storage, "cannot create the canary key file '\(path)'; check the data directory's permissions")
            }
        }
        guard let data = manager.contents(atPath: path), data.count == 32,
            let key = try? SymmetricKey(bytes: Array(data))
        else {
            throw ServerError(
                .storage,
                "cannot read a 32-byte key from the canary key file '\(path)'; restore it from its separate copy")
        }
        return key
    }
}
