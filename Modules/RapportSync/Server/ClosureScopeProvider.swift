import Foundation

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
}
