import Foundation
import RapportModels
import RapportProtocol

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

    /// The gate every mutation passes first: whether the principal may see the record a
    /// mutation names (`stored`, the server's fields, `nil` if there is no such record — a
    /// deleted record keeps its fields), whether they may make the write, and which of the
    /// changed paths they may not read in clear. Asked before the stored record is merged,
    /// compared or quoted, so that no answer depends on what the principal may not read.
    func gate(
        _ op: MutationOperation, key: RecordKey, stored: FieldMap?, changedPaths: [String], principal: SyncPrincipal
    ) async throws -> RecordGate

    /// A mutation's answer as the principal may receive it (values in conflict reports masked
    /// or replaced by the masked marker, rejection messages that could quote a value reduced to
    /// field and rule). Every answer passes here before it is stored for replays and before it
    /// is sent, and again when a replay is answered.
    func seal(_ result: MutationResult, kind: EntityKind, principal: SyncPrincipal) async throws -> MutationResult

    /// How many of `records` (in the order an answer would carry them) may reach the principal
    /// now, counting the admitted ones against their read quota and recording them in the
    /// audit log; asked for every pull page and every push answer that carries records.
    func admit(_ records: [RecordKey], via path: ReadPath, principal: SyncPrincipal) async throws -> ReadAdmission

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
