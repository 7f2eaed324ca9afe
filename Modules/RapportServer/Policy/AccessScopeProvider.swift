import Foundation
import RapportAccess
import RapportModels
import RapportProtocol
import RapportSyncServer

/// RapportSyncServer's `SyncScopeProvider` answered by RapportAccess: standing from the stored
/// device and person, visibility from `AccessPolicy.scope` run as indexed queries
/// (``SyncScopeStorage/visibleRecords(_:)``), write checks from `AccessPolicy.canWrite`
/// (record and each changed field) and masking from `AccessPolicy.mask` on every record a
/// device receives.
///
/// Every answer uses the policy as stored now (``PolicyService``), so a revocation, a
/// reassignment or an expired grant shows on the very next request.
public struct AccessScopeProvider: SyncScopeProvider {
    /// Records and customer facts.
    public let storage: any SyncScopeStorage
    /// Devices and staff (standing).
    public let serverStorage: any ServerStorage
    /// The current policy.
    public let policies: PolicyService
    /// The read quotas every answer that carries records is admitted against.
    public let quotas: QuotaService
    /// Where every delivery of records is recorded (`recordsSent`); `nil` in tools and tests
    /// that run without an audit log.
    public let audit: AuditService?
    /// The anomaly rules every delivery feeds (customers reached), in the request; `nil` where
    /// no monitor runs.
    public let activity: ActivityMonitor?
    /// The time decisions are made at.
    public let now: @Sendable () -> Date

    /// Creates the provider.
    public init(
        storage: any SyncScopeStorage, serverStorage: any ServerStorage, policies: PolicyService, quotas: QuotaService,
        audit: AuditService?, activity: ActivityMonitor? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.serverStorage = serverStorage
        self.policies = policies
        self.quotas = quotas
        self.audit = audit
        self.activity = activity
        self.now = now
    }

    /// The access-policy principal of a syncing device.
    public static func principal(_ principal: SyncPrincipal) -> Principal {
        Principal(staffId: principal.staffId, deviceId: principal.deviceId)
    }

    /// Active unless the device is revoked, unknown or someone else's, or the person may no
    /// longer access anything (suspended, departed, unknown).
    public func standing(of principal: SyncPrincipal) async throws -> DeviceStanding {
        let device = try await serverStorage.device(id: principal.deviceId)
        if device == nil || device?.device.status == .revoked || device?.device.staffId != principal.staffId {
            return .wipe(
                WipeInstruction(
                    reason: .deviceRevoked,
                    message:
                        "this device was revoked; its local data must be erased. Sign in again on a registered device."))
        }
        guard let staff = try await serverStorage.staff(id: principal.staffId), staff.status.mayAccess else {
            return .wipe(
                WipeInstruction(
                    reason: .staffRevoked,
                    message:
                        "your access was withdrawn; this device's local data must be erased. Contact an administrator."))
        }
        return .active
    }

    /// Customers in the policy's scope and the child records of those customers whose kind the
    /// principal's roles may read.
    public func visibleRecords(for principal: SyncPrincipal) async throws -> Set<RecordKey> {
        let policy = try await policies.current()
        let time = now()
        var predicates: [EntityKind: ScopePredicate] = [:]
        for kind in EntityKind.allCases {
            predicates[kind] = policy.scope(for: Self.principal(principal), kind: kind, now: time)
        }
        return try await storage.visibleRecords(predicates)
    }

    /// Why a held record left the scope: a revoked or expired grant covering its customer, a
    /// key-tier change that moved it to an account manager, a new owner, or (otherwise) a
    /// policy change.
    public func evictionReason(for record: RecordKey, principal: SyncPrincipal) async throws -> EvictionReason {
        guard let customerId = try await storage.customerIds(of: [record])[record],
            let facts = try await storage.customerFacts(customerId)
        else { return .scopeChanged }
        let policy = try await policies.current()
        let time = now()
        let grants = policy.organisation.grants.filter { grant in
            guard grant.granteeId == principal.staffId else { return false }
            switch grant.target {
            case .customer(let id): return id == customerId
            case .segment(let segment): return ScopePredicate.segment(segment).matches(facts)
            case .organisation: return true
            }
        }
        if grants.contains(where: { $0.revokedAt != nil && $0.revokedAt! <= time }) { return .grantRevoked }
        if grants.contains(where: { $0.expiresAt <= time }) { return .grantExpired }
        if facts.isKey && facts.keyAnchor != principal.staffId { return .tierChange }
        if facts.ownerId != principal.staffId { return .reassigned }
        return .scopeChanged
    }

    /// `AccessPolicy.canWrite` for the record's customer (the new record's own facts for a
    /// customer create, the stored customer otherwise) and every changed field. Messages name
    /// fields and rules, never values. A child record filed under (or moved to) a customer that
    /// does not exist or that the person may not read gets one answer for both.
    public func authorize(_ write: ProposedWrite, principal: SyncPrincipal) async throws -> WriteDecision {
        let policy = try await policies.current()
        let who = Self.principal(principal)
        let time = now()
        let kind = write.key.kind
        let fields = write.op == .create ? write.after : (write.before ?? write.after)
        let facts: CustomerAccessFacts?
        if kind == .customer {
            facts =
                write.op == .create
                ? fields.flatMap { Self.facts(customerId: write.key.id, fields: $0) }
                : try await storage.customerFacts(write.key.id)
        } else {
            facts = try await visibleParent(of: fields, kind: kind, policy: policy, principal: who, now: time)
            if write.op == .update, let after = write.after, after["customerId"] != fields?["customerId"],
                try await visibleParent(of: after, kind: kind, policy: policy, principal: who, now: time) == nil
            {
                return .denied(Self.unseenParent(kind))
            }
        }
        guard let facts else {
            return .denied(kind == .customer ? "the customer's owner is missing; set 'ownerId'" : Self.unseenParent(kind))
        }
        let action: WriteAction =
            switch write.op {
            case .create: .create
            case .update: .update
            case .delete: .delete
            }
        let authorization = policy.canWrite(who, kind, action: action, of: facts, fields: write.changedPaths, now: time)
        if let refusal = Self.refusal(authorization) { return .denied(refusal) }
        // Owner, team, account manager or tier changed: a reassignment, which only a role that
        // reaches the customer before and after may make (`AccessPolicy.canMove`).
        if kind == .customer, write.op == .update, let before = write.before, let after = write.after,
            let old = Self.facts(customerId: write.key.id, fields: before),
            let new = Self.facts(customerId: write.key.id, fields: after)
        {
            let move = policy.canMove(who, from: facts, to: new, now: time)
            if AccessPolicy.movesCustomer(from: old, to: new), !move.isAllowed {
                return .denied(
                    "you may not change who this customer belongs to (owner, team, account manager or tier): "
                        + "\(move.reason); ask a manager to reassign it")
            }
        }
        return .allowed
    }

    /// The facts of the customer a child record's fields name, if it exists and the person may
    /// read records of `kind` under it; `nil` otherwise (the two are not told apart).
    private func visibleParent(
        of fields: FieldMap?, kind: EntityKind, policy: AccessPolicy, principal: Principal, now: Date
    ) async throws -> CustomerAccessFacts? {
        guard let customerId = fields?["customerId"]?.stringValue.flatMap(UUID.init(uuidString:)),
            let facts = try await storage.customerFacts(customerId),
            policy.canRead(principal, kind, of: facts, now: now).isAllowed
        else { return nil }
        return facts
    }

    /// The one refusal for a child record whose customer does not exist or is out of reach.
    static func unseenParent(_ kind: EntityKind) -> String {
        "the customer this \(kind.rawValue) belongs to does not exist or is outside your access; pull to refresh"
    }

    /// The message of a refused write (a rule, or the fields the person may not change), or
    /// `nil` if it is allowed.
    static func refusal(_ authorization: WriteAuthorization) -> String? {
        if !authorization.record.isAllowed { return "\(authorization.record.reason)" }
        if authorization.refusedFields.isEmpty { return nil }
        let list = authorization.refusedFields.sorted { $0.key < $1.key }
            .map { "'\($0.key)' (\($0.value))" }.joined(separator: ", ")
        return "you may not change \(list); undo those edits"
    }

    // MARK: - The gate

    /// ``RecordGate/unseen`` for a record that does not exist or whose customer the person may
    /// not read (records of a kind their roles do not read included); ``RecordGate/readOnly(_:)``
    /// when they may read it but not make this write; otherwise writable, with the changed paths
    /// they do not read in clear as opaque. The customer's facts come from the index, or for a
    /// deleted customer from its retained fields.
    public func gate(
        _ op: MutationOperation, key: RecordKey, stored: FieldMap?, changedPaths: [String], principal: SyncPrincipal
    ) async throws -> RecordGate {
        guard let stored else { return .unseen }
        let policy = try await policies.current()
        let who = Self.principal(principal)
        let time = now()
        let facts: CustomerAccessFacts?
        if key.kind == .customer {
            facts = try await storage.customerFacts(key.id) ?? Self.facts(customerId: key.id, fields: stored)
        } else {
            let customerId =
                try await storage.customerIds(of: [key])[key]
                ?? stored["customerId"]?.stringValue.flatMap(UUID.init(uuidString:))
            facts = if let customerId { try await storage.customerFacts(customerId) } else { nil }
        }
        guard let facts, policy.canRead(who, key.kind, of: facts, now: time).isAllowed else { return .unseen }
        let action: WriteAction =
            switch op {
            case .create: .create
            case .update: .update
            case .delete: .delete
            }
        if op != .create,
            let refusal = Self.refusal(policy.canWrite(who, key.kind, action: action, of: facts, fields: changedPaths, now: time))
        {
            return .readOnly(refusal)
        }
        return .writable(opaque: Set(changedPaths.filter { !policy.readsInClear(who, key.kind, path: $0, now: time) }))
    }

    /// Redacts the answer for the person: conflict values they may not read in clear masked
    /// (or the masked marker when the field is hidden from them), and a rejection message about
    /// such a field reduced to field and rule (validation messages may quote values).
    public func seal(_ result: MutationResult, kind: EntityKind, principal: SyncPrincipal) async throws -> MutationResult {
        guard result.conflicts?.isEmpty == false || result.rejection?.field != nil else { return result }
        let policy = try await policies.current()
        let who = Self.principal(principal)
        let time = now()
        var sealed = result
        sealed.conflicts = result.conflicts?.map { Self.redact($0, kind: kind, policy: policy, principal: who, now: time) }
        if var rejection = result.rejection {
            rejection.message = Self.safeMessage(rejection, kind: kind, policy: policy, principal: who, now: time)
            sealed.rejection = rejection
        }
        return sealed
    }

    /// A conflict report with every value the principal may not read in clear masked, or
    /// replaced by the masked marker when the field is hidden from them.
    static func redact(
        _ conflict: FieldConflict, kind: EntityKind, policy: AccessPolicy, principal: Principal, now: Date
    ) -> FieldConflict {
        let fieldClass = FieldRegistry.descriptor(kind, conflict.field)?.fieldClass ?? .sensitive
        func clean(_ value: JSONValue) -> JSONValue {
            policy.redact(value, kind: kind, path: conflict.field, for: principal, now: now)
                ?? ValueMasker.marker(fieldClass)
        }
        var copy = conflict
        copy.base = conflict.base.map(clean)
        copy.yours = clean(conflict.yours)
        copy.theirs = clean(conflict.theirs)
        copy.result = clean(conflict.result)
        return copy
    }

    /// The rejection's message, or — when it concerns a field the principal may not read in
    /// clear — a message naming only field and rule.
    static func safeMessage(
        _ rejection: Rejection, kind: EntityKind, policy: AccessPolicy, principal: Principal, now: Date
    ) -> String {
        guard let field = rejection.field else { return rejection.message }
        if policy.readsInClear(principal, kind, path: field, now: now) { return rejection.message }
        return
            "'\(field)' breaks the rule '\(rejection.rule ?? rejection.code.rawValue)'; correct the value and save again"
    }

    // MARK: - Read quota

    /// Admits the records in order against the person's daily distinct-customer quota — their
    /// own book is free (``AccessPolicy/isOwnBook(_:customer:)``) — appends one `recordsSent`
    /// audit entry for what was admitted (the customers, and the records per kind) and feeds the
    /// customers reached to the anomaly rules (own book included: a whole book reaching a new
    /// device is worth a look), which raise any alert before the answer is sent.
    public func admit(_ records: [RecordKey], via path: ReadPath, principal: SyncPrincipal) async throws -> ReadAdmission {
        if records.isEmpty { return ReadAdmission(admitted: 0) }
        let policy = try await policies.current()
        let time = now()
        let owners = try await storage.customerIds(of: records)
        let customers = records.map { owners[$0] }
        let facts = try await storage.customerFacts(Array(Set(customers.compactMap { $0 })))
        let free = Set(facts.values.filter { policy.isOwnBook(principal.staffId, customer: $0) }.map(\.id))
        let (admitted, refusal) = try await quotas.admit(
            customers, free: free, staffId: principal.staffId, policy: policy, now: time)
        if admitted > 0 {
            try await recordSent(records.prefix(admitted), customers: customers.prefix(admitted), via: path, principal: principal)
            let reached = Set(customers.prefix(admitted).compactMap { $0 }).sorted { $0.uuidString < $1.uuidString }
            try await activity?.customersReached(reached, by: principal.staffId, now: time)
        }
        guard refusal != nil else { return ReadAdmission(admitted: admitted) }
        let limit = policy.quotaLimits(for: principal.staffId).distinctCustomersPerDay
        let clock = policy.settings.clock
        let nextDay = TimeInterval((clock.day(of: time) + 1) * 86_400 - clock.utcOffsetSeconds)
        let wait = max(1, Int((nextDay - time.timeIntervalSince1970).rounded(.up)))
        return ReadAdmission(
            admitted: admitted,
            limit: ReadLimit(
                message:
                    "you have reached today's limit of \(limit) customers beyond your own; the rest arrives after the "
                    + "limit resets at local midnight, or ask an administrator to raise it",
                retryAfterSeconds: wait))
    }

    /// Appends the `recordsSent` entry of one delivery.
    private func recordSent(
        _ records: ArraySlice<RecordKey>, customers: ArraySlice<UUID?>, via path: ReadPath, principal: SyncPrincipal
    ) async throws {
        guard let audit else { return }
        var perKind: [String: Int] = [:]
        for record in records { perKind[record.kind.rawValue, default: 0] += 1 }
        let counts = perKind.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let distinct = Set(customers.compactMap { $0 }).sorted { $0.uuidString < $1.uuidString }
        _ = try await audit.append(
            AuditEvent(
                actorId: principal.staffId, deviceId: principal.deviceId, action: .recordsSent, recordIds: distinct,
                fields: [], allowed: true, reason: "\(path.rawValue) \(counts)"))
    }

    /// `AccessPolicy.mask` for the principal: sensitive values masked or replaced by a marker,
    /// fields the role may not read left out, unknown paths withheld.
    public func mask(_ fields: FieldMap, of record: RecordKey, principal: SyncPrincipal) async throws -> MaskedFields {
        let policy = try await policies.current()
        let masked = policy.mask(fields, kind: record.kind, for: Self.principal(principal), now: now())
        return MaskedFields(fields: masked.fields, masked: masked.maskedPaths)
    }

    /// ``mask(_:of:principal:)`` for a batch (a pull page, a push's results) under one policy
    /// read and one `now`, instead of one of each per record.
    public func mask(_ records: [(key: RecordKey, fields: FieldMap)], principal: SyncPrincipal) async throws
        -> [MaskedFields]
    {
        if records.isEmpty { return [] }
        let policy = try await policies.current()
        let who = Self.principal(principal)
        let time = now()
        return records.map { record in
            let masked = policy.mask(record.fields, kind: record.key.kind, for: who, now: time)
            return MaskedFields(fields: masked.fields, masked: masked.maskedPaths)
        }
    }

    /// The access facts a customer's field map describes (for a create, before it is stored).
    static func facts(customerId: UUID, fields: FieldMap) -> CustomerAccessFacts? {
        func uuid(_ path: String) -> UUID? { fields[path]?.stringValue.flatMap(UUID.init(uuidString:)) }
        guard let owner = uuid("ownerId") else { return nil }
        let tier = (fields["tierOverride"]?.stringValue ?? fields["tier"]?.stringValue).flatMap(ValueTier.init)
        let tags = Set((fields["tags"]?.arrayValue ?? []).compactMap(\.stringValue))
        return CustomerAccessFacts(
            id: customerId, ownerId: owner, teamId: uuid("teamId"), tier: tier, accountManagerId: uuid("accountManagerId"),
            tags: tags)
    }
}
