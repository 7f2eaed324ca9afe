import Foundation

/// What the sync core asks the access policy: may this device sync, what may it see, may it
/// write this, and how must values be masked. RapportServer implements it with RapportAccess;
/// ``ClosureScopeProvider`` builds one from closures.
///
/// Answers must reflect the state *now* (revocation applies to the very next request).
public protocol SyncScopeProvider: Sendable {
    /// Whether the device may sync, or must wipe.
    func standing(of principal: SyncPrincipal) async throws -> DeviceStanding

    /// Every live record the principal may see now (customers and their records).
    func visibleRecords(for principal: SyncPrincipal) async throws -> Set<RecordKey>

    /// Why a record the device holds is no longer visible.
    func evictionReason(for record: RecordKey, principal: SyncPrincipal) async throws -> EvictionReason

    /// Whether the principal may make this write.
    func authorize(_ write: ProposedWrite, principal: SyncPrincipal) async throws -> WriteDecision

    /// The fields as this principal may see them (withheld or masked values replaced), and
    /// the paths that were masked.
    func mask(_ fields: FieldMap, of record: RecordKey, principal: SyncPrincipal) async throws -> MaskedFields

    /// ``mask(_:of:principal:)`` for several records at once (a pull page, a push's results),
    /// answered in the same order. A default masks them one by one; a provider whose answer
    /// needs the current policy reads it once for the whole batch.
    func mask(_ records: [(key: RecordKey, fields: FieldMap)], principal: SyncPrincipal) async throws -> [MaskedFields]
}

extension SyncScopeProvider {
    /// Masks each record with ``mask(_:of:principal:)``.
    public func mask(_ records: [(key: RecordKey, fields: FieldMap)], principal: SyncPrincipal) async throws
        -> [MaskedFields]
    {
        var result: [MaskedFields] = []
        result.reserveCapacity(records.count)
        for record in records { result.append(try await mask(record.fields, of: record.key, principal: principal)) }
        return result
    }
}

/// Whether a device may sync.
public enum DeviceStanding: Sendable, Hashable {
    /// Registered and not revoked.
    case active
    /// Revoked: every request fails with ``SyncError/Code/wipeRequired`` and this instruction.
    case wipe(WipeInstruction)
}

/// A write the sync core is about to make on a client's behalf.
public struct ProposedWrite: Sendable, Hashable {
    /// Create, update or delete.
    public var op: MutationOperation
    /// The record.
    public var key: RecordKey
    /// The server's current fields, `nil` for a create.
    public var before: FieldMap?
    /// The fields after the write (merged), `nil` for a delete.
    public var after: FieldMap?
    /// The paths the client changed.
    public var changedPaths: [String]

    /// Creates a proposed write.
    public init(op: MutationOperation, key: RecordKey, before: FieldMap?, after: FieldMap?, changedPaths: [String]) {
        self.op = op
        self.key = key
        self.before = before
        self.after = after
        self.changedPaths = changedPaths
    }
}

/// The answer to ``SyncScopeProvider/authorize(_:principal:)``.
public enum WriteDecision: Sendable, Hashable {
    /// The write may go ahead.
    case allowed
    /// The write is refused with ``RejectionCode/forbidden`` and this message (say what to do).
    case denied(String)
}

/// Fields after masking.
public struct MaskedFields: Sendable, Hashable {
    /// The fields as the principal sees them.
    public var fields: FieldMap
    /// The masked paths.
    public var masked: [String]

    /// Creates masked fields.
    public init(fields: FieldMap, masked: [String] = []) {
        self.fields = fields
        self.masked = masked
    }
}
