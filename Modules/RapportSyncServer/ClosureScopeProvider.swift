import Foundation
import RapportModels
import RapportProtocol

/// A ``SyncScopeProvider`` built from closures (in the manner of hummingbird-auth's
/// `ClosureAuthorizationPolicy`), for tests, demos and simple deployments.
///
/// ```swift
/// let scope = ClosureScopeProvider(visible: { principal in try await ownedBy(principal.staffId) })
/// ```
public struct ClosureScopeProvider: SyncScopeProvider {
    let standingClosure: @Sendable (SyncPrincipal) async throws -> DeviceStanding
    let visibleClosure: @Sendable (SyncPrincipal) async throws -> Set<RecordKey>
    let reasonClosure: @Sendable (RecordKey, SyncPrincipal) async throws -> EvictionReason
    let authorizeClosure: @Sendable (ProposedWrite, SyncPrincipal) async throws -> WriteDecision
    let maskClosure: @Sendable (FieldMap, RecordKey, SyncPrincipal) async throws -> MaskedFields

    /// Creates a provider; by default every device is active, every write allowed, nothing
    /// masked, and evictions are reported as ``EvictionReason/scopeChanged``.
    public init(
        standing: @escaping @Sendable (SyncPrincipal) async throws -> DeviceStanding = { _ in .active },
        visible: @escaping @Sendable (SyncPrincipal) async throws -> Set<RecordKey>,
        evictionReason: @escaping @Sendable (RecordKey, SyncPrincipal) async throws -> EvictionReason = { _, _ in .scopeChanged },
        authorize: @escaping @Sendable (ProposedWrite, SyncPrincipal) async throws -> WriteDecision = { _, _ in .allowed },
        mask: @escaping @Sendable (FieldMap, RecordKey, SyncPrincipal) async throws -> MaskedFields = { fields, _, _ in MaskedFields(fields: fields) }
    ) {
        standingClosure = standing
        visibleClosure = visible
        reasonClosure = evictionReason
        authorizeClosure = authorize
        maskClosure = mask
    }

    /// Calls the standing closure.
    public func standing(of principal: SyncPrincipal) async throws -> DeviceStanding { try await standingClosure(principal) }
    /// Calls the visibility closure.
    public func visibleRecords(for principal: SyncPrincipal) async throws -> Set<RecordKey> { try await visibleClosure(principal) }
    /// Calls the eviction-reason closure.
    public func evictionReason(for record: RecordKey, principal: SyncPrincipal) async throws -> EvictionReason {
        try await reasonClosure(record, principal)
    }
    /// Calls the authorization closure.
    public func authorize(_ write: ProposedWrite, principal: SyncPrincipal) async throws -> WriteDecision {
        try await authorizeClosure(write, principal)
    }
    /// Calls the mask closure.
    public func mask(_ fields: FieldMap, of record: RecordKey, principal: SyncPrincipal) async throws -> MaskedFields {
        try await maskClosure(fields, record, principal)
    }

    /// ``RecordGate/unseen`` unless the record exists and is in the visibility closure's set;
    /// otherwise writable, with the changed paths the mask closure would mask as opaque. The
    /// visibility closure lists live records only, so a deleted record (`deletedAt` set) is
    /// answered as seen by everyone: this provider is for tests and demos, not for secrets.
    public func gate(
        _ op: MutationOperation, key: RecordKey, stored: FieldMap?, changedPaths: [String], principal: SyncPrincipal
    ) async throws -> RecordGate {
        guard let stored else { return .unseen }
        if let deletedAt = stored["deletedAt"], !deletedAt.isNull { return .writable(opaque: []) }
        guard try await visibleClosure(principal).contains(key) else { return .unseen }
        let masked = Set(try await maskClosure(stored, key, principal).masked)
        return .writable(opaque: Set(changedPaths).intersection(masked))
    }

    /// Masks the values in conflict reports with the mask closure (a value it leaves out
    /// becomes `null`).
    public func seal(_ result: MutationResult, kind: EntityKind, principal: SyncPrincipal) async throws -> MutationResult {
        guard let conflicts = result.conflicts, !conflicts.isEmpty else { return result }
        var sealed = result
        var cleaned: [FieldConflict] = []
        for conflict in conflicts {
            let key = RecordKey(kind, UUID())
            func clean(_ value: JSONValue) async throws -> JSONValue {
                try await maskClosure([conflict.field: value], key, principal).fields[conflict.field] ?? .null
            }
            var copy = conflict
            if let base = conflict.base { copy.base = try await clean(base) }
            copy.yours = try await clean(conflict.yours)
            copy.theirs = try await clean(conflict.theirs)
            copy.result = try await clean(conflict.result)
            cleaned.append(copy)
        }
        sealed.conflicts = cleaned
        return sealed
    }

    /// Admits everything (no read quota).
    public func admit(_ records: [RecordKey], via path: ReadPath, principal: SyncPrincipal) async throws -> ReadAdmission {
        ReadAdmission(admitted: records.count)
    }
}
