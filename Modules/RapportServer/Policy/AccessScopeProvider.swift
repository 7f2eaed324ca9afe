import Foundation
import RapportAccess
import RapportModels
import RapportSync

/// RapportSync's `SyncScopeProvider` answered by RapportAccess: standing from the stored
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
    /// The time decisions are made at.
    public let now: @Sendable () -> Date

    /// Creates the provider.
    public init(
        storage: any SyncScopeStorage, serverStorage: any ServerStorage, policies: PolicyService,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.storage = storage
        self.serverStorage = serverStorage
        self.policies = policies
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
    /// fields and rules, never values.
    public func authorize(_ write: ProposedWrite, principal: SyncPrincipal) async throws -> WriteDecision {
        let policy = try await policies.current()
        let kind = write.key.kind
        let fields = write.op == .create ? write.after : (write.before ?? write.after)
        let facts: CustomerAccessFacts?
        if kind == .customer {
            facts =
                write.op == .create
                ? fields.flatMap { Self.facts(customerId: write.key.id, fields: $0) }
                : try await storage.customerFacts(write.key.id)
        } else if let customerId = fields?["customerId"]?.stringValue.flatMap(UUID.init(uuidString:)) {
            facts = try await storage.customerFacts(customerId)
        } else {
            facts = nil
        }
        guard let facts else {
            return .denied(
                "the customer this \(kind.rawValue) belongs to does not exist on the server or was deleted; pull to refresh"
            )
        }
        let action: WriteAction =
            switch write.op {
            case .create: .create
            case .update: .update
            case .delete: .delete
            }
        let authorization = policy.canWrite(
            Self.principal(principal), kind, action: action, of: facts, fields: write.changedPaths, now: now())
        if !authorization.record.isAllowed {
            return .denied("\(authorization.record.reason)")
        }
        if !authorization.refusedFields.isEmpty {
            let list = authorization.refusedFields.sorted { $0.key < $1.key }
                .map { "'\($0.key)' (\($0.value))" }.joined(separator: ", ")
            return .denied("you may not change \(list); undo those edits")
        }
        return .allowed
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
