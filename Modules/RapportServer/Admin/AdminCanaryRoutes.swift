import Foundation
import Hummingbird
import Logging
import RapportAccess
import RapportCrypto
import RapportModels
import RapportProtocol
import RapportSyncServer

/// Canary customers (Docs/Security.md, "Canary records"):
///
/// - `POST /v1/admin/canaries` `{"staffId": "<id>", "count": 3}` plants that person's canaries
///   (derived by `CanaryGenerator` from the server's canary secret) as customers they own,
///   disguised by `CanaryDisguise` to look like that person's other customers (a code in the
///   organisation's pattern, the fields most of their customers carry, a history of contacts,
///   interactions, orders … with plausible dates), all written through the sync server's
///   server-write path so they reach that person's devices like any record. Planting again is
///   harmless: canaries already present are left alone (missing history is added).
/// - `GET /v1/admin/canaries?staff=<id>` lists the planted canaries (everyone's, or one person's).
/// - `POST /v1/admin/canaries/trace` `{"value": "+86 138 1234 5678"}` (a phone or e-mail, full
///   or masked as devices receive them, a customer or history record id, a code, a name) or
///   `{"text": "<leaked file>"}` names the member(s) of staff whose canary it is, departed staff
///   included, with each match's strength and number of candidates.
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
        /// The customer code it was planted with.
        var code: String?
        /// How many history records (contacts, interactions, orders …) were planted under it
        /// (in the answer to planting).
        var historyRecords: Int?
    }

    struct PlantResult: Codable, Sendable {
        var staffId: UUID
        var planted: [CanaryView]
        var alreadyPresent: [CanaryView]
    }

    struct TracedStaff: Codable, Sendable {
        var staffId: UUID
        var name: String
        var status: String
        /// The strongest of `matches` (`conclusive`, `strong`, `weak`).
        var strength: CanaryMatch.Strength
        var matches: [CanaryMatch]
    }

    struct Traced: Codable, Sendable {
        /// Strongest first.
        var staff: [TracedStaff]
        /// What the matches can and cannot prove.
        var note: String
    }

    static let traceNote =
        "a conclusive match proves the value came from a copy of that person's scope, not that they leaked it; a masked phone or e-mail match is probabilistic (a masked phone keeps 7 of 11 digits, a masked e-mail one letter and the domain): corroborate weak and strong matches with other values of the same leak"

    /// The canaries present among the live customers, with their codes and the ids their
    /// history records have or would have (derived, so a deleted history record still traces).
    struct Planted: Sendable {
        var customers: [UUID: StoredRecord]
        var canaries: [CanaryCustomer]
        var codes: [String: UUID]
        var history: [UUID: UUID]

        init(customers records: [StoredRecord], among candidates: [CanaryCustomer], generator: CanaryGenerator) {
            let byId = Dictionary(records.map { ($0.key.id, $0) }, uniquingKeysWith: { a, _ in a })
            customers = byId
            let present = candidates.filter { byId[$0.id] != nil }
            canaries = present
            var codes: [String: UUID] = [:]
            var history: [UUID: UUID] = [:]
            for canary in present {
                if let code = byId[canary.id]?.fields["code"]?.stringValue { codes[code] = canary.id }
                for kind in EntityKind.allCases where kind != .customer {
                    for number in 0..<CanaryDisguise.maximumHistoryPerKind {
                        history[generator.historyId(for: canary, kind: kind, number: number)] = canary.id
                    }
                }
            }
            self.codes = codes
            self.history = history
        }

        static func parent(_ record: StoredRecord) -> UUID? {
            record.fields["customerId"]?.stringValue.flatMap(UUID.init(uuidString:))
        }
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
            let organisation = try await services.storage.organisation()
            let all = try await records.liveRecords(of: Set(EntityKind.allCases))
            let possible = try Self.possibleCanaryIds(services, organisation: organisation)
            let customers = all.filter { $0.key.kind == .customer }
            let present = Dictionary(customers.map { ($0.key.id, $0) }, uniquingKeysWith: { a, _ in a })
            let real = customers.filter { !possible.contains($0.key.id) }
            let owned = real.filter { $0.ownerId == staff.id }
            // Like the person's own book; the organisation's when their book is too small to model.
            let population = owned.count >= 3 ? owned : real
            var histories: [UUID: [EntityKind: [FieldMap]]] = [:]
            for record in all where record.key.kind != .customer {
                if let parent = Planted.parent(record) {
                    histories[parent, default: [:]][record.key.kind, default: []].append(record.fields)
                }
            }
            let existing = Set(all.map(\.key.id))
            var taken = Set(customers.compactMap { $0.fields["code"]?.stringValue })
            let disguise = CanaryDisguise(generator: generator, now: Date())
            var planted: [CanaryView] = []
            var already: [CanaryView] = []
            for canary in generator.canaries(for: staff.id, count: count) {
                let customer = Customer(
                    id: canary.id, kind: .individual, name: canary.name, sourceChannel: .referral, ownerId: staff.id,
                    teamId: staff.teamId, createdAt: Date(),
                    individual: IndividualProfile(phones: [canary.phone], emails: [canary.email]))
                let base = try customer.fieldMap().filter { !$0.value.isNull }
                var fields =
                    present[canary.id]?.fields
                    ?? disguise.customer(canary, base: base, like: population.map(\.fields), takenCodes: taken)
                if present[canary.id] == nil {
                    do {
                        try await records.serverWrite(RecordKey(.customer, canary.id), fields: fields, actor: nil)
                    } catch {
                        // A value modelled on the book that does not validate: plant it plain.
                        context.logger.warning("a disguised canary did not validate", metadata: ["error": "\(error)"])
                        fields = base
                        try await records.serverWrite(RecordKey(.customer, canary.id), fields: fields, actor: nil)
                    }
                    if let code = fields["code"]?.stringValue { taken.insert(code) }
                }
                var history = disguise.history(
                    canary, customer: fields, like: population.map { histories[$0.key.id] ?? [:] })
                for record in history where !existing.contains(record.id) {
                    do {
                        try await records.serverWrite(
                            RecordKey(record.kind, record.id), fields: record.fields, actor: nil)
                    } catch {
                        context.logger.warning(
                            "a canary history record did not validate",
                            metadata: ["kind": "\(record.kind)", "error": "\(error)"])
                        history.removeAll { $0.id == record.id }
                    }
                }
                let view = Self.view(
                    canary, ownerId: present[canary.id]?.ownerId ?? staff.id, code: fields["code"]?.stringValue,
                    history: history.count)
                if present[canary.id] == nil { planted.append(view) } else { already.append(view) }
            }
            // The audit log names the person, never the canaries' ids or values.
            try await admin.audit(
                "canariesPlanted", records: [staff.id],
                reason: "\(planted.count) planted, \(already.count) already present")
            return try Response.json(
                PlantResult(staffId: staff.id, planted: planted, alreadyPresent: already),
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
            let generator = CanaryGenerator(secret: try Self.secret(services))
            let tracer = CanaryTracer(generator: generator, staffIds: staffIds, perStaff: Self.maximumPerStaff)
            let planted = try await Self.planted(services, among: tracer.canaries, generator: generator)
            let items = planted.canaries.compactMap { canary in
                planted.customers[canary.id].map {
                    Self.view(canary, ownerId: $0.ownerId, code: $0.fields["code"]?.stringValue, history: nil)
                }
            }
            try await admin.audit("canariesListed", records: only.map { [$0] } ?? [], reason: "\(items.count) canaries")
            return try Response.json(ItemList(items: items))
        }
        groups.admin.post("canaries/trace") { request, context in
            let admin = AdminRequest(request: request, context: context, services: services)
            let body = try await admin.body(Trace.self)
            guard (body.value == nil) != (body.text == nil) else {
                throw ServerError.invalidField(
                    "value", "give either 'value' (one phone, e-mail, id or name) or 'text' (a leaked file), not both")
            }
            let value = body.value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            let text = body.text ?? ""
            if body.value != nil, value.isEmpty { throw ServerError.invalidField("value", "is blank; give the leaked value") }
            if body.text != nil, text.isEmpty { throw ServerError.invalidField("text", "is empty; give the leaked text") }
            let organisation = try await services.storage.organisation()
            let generator = CanaryGenerator(secret: try Self.secret(services))
            let staffIds = organisation.staff.map(\.id)
            let candidates = CanaryTracer(generator: generator, staffIds: staffIds, perStaff: Self.maximumPerStaff)
                .canaries
            let planted = try await Self.planted(services, among: candidates, generator: generator)
            let tracer = CanaryTracer(
                generator: generator, staffIds: staffIds, perStaff: Self.maximumPerStaff, codes: planted.codes,
                history: planted.history)
            let matches = value.isEmpty ? tracer.traceText(text) : tracer.trace(value)
            let byStaff = Dictionary(grouping: matches, by: \.staffId)
            let people = Dictionary(organisation.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            let staff = byStaff.map { id, found in
                TracedStaff(
                    staffId: id, name: people[id]?.name ?? "", status: people[id]?.status.rawValue ?? "unknown",
                    strength: found.map(\.strength).min() ?? .weak, matches: found)
            }.sorted { ($0.strength, $0.staffId.uuidString) < ($1.strength, $1.staffId.uuidString) }
            // The audit log names who was traced, never the leaked value.
            try await admin.audit(
                "canaryTraced", records: staff.map(\.staffId), reason: "\(matches.count) matches")
            return try Response.json(Traced(staff: staff, note: Self.traceNote))
        }
    }

    static func view(_ canary: CanaryCustomer, ownerId: UUID?, code: String?, history: Int?) -> CanaryView {
        CanaryView(
            staffId: canary.staffId, index: canary.index, customerId: canary.id, name: canary.name, phone: canary.phone,
            email: canary.email, ownerId: ownerId, code: code, historyRecords: history)
    }

    /// The canaries among `candidates` that are planted (live customers).
    static func planted(_ services: ServerServices, among candidates: [CanaryCustomer], generator: CanaryGenerator)
        async throws -> Planted
    {
        let records = try services.adminHooks.requireRecords()
        return Planted(
            customers: try await records.liveRecords(of: [.customer]), among: candidates, generator: generator)
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

    /// The server's canary secret, from the configured canary key file (default `canary.key` in
    /// the data directory; made on first use).
    static func secret(_ services: ServerServices) throws(ServerError) -> SymmetricKey {
        guard let key = try secret(services, create: true) else {
            throw ServerError(.storage, "cannot create the canary key file; check the data directory's permissions")
        }
        return key
    }

    /// The canary secret; `nil` when the file does not exist and `create` is false.
    static func secret(_ services: ServerServices, create: Bool) throws(ServerError) -> SymmetricKey? {
        let path = services.configuration.canaryKeyPath
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
