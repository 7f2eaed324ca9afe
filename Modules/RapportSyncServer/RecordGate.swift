import Foundation
import RapportProtocol

/// What a mutation may learn of, and do to, the record it names: the answer of
/// ``SyncScopeProvider/gate(_:key:stored:changedPaths:principal:)``, asked before the stored
/// record takes part in any merge, comparison or answer (`Docs/Security.md`, "Threat model").
public enum RecordGate: Sendable, Hashable {
    /// The record does not exist, or lies outside what the principal may read. Every answer
    /// about it is the one for an id that does not exist (``SyncServer/unseenRejection(_:)``),
    /// whatever the record holds.
    case unseen
    /// The principal may read the record but not make this write (notice period, a read-only
    /// role or grant, a field class they may not write). The message names rules and fields,
    /// never values.
    case readOnly(String)
    /// The principal may make the write. `opaque` are the changed paths whose stored value the
    /// principal may not read in clear: the merge must not let those values shape any answer
    /// (status, version, conflicts, refusals).
    case writable(opaque: Set<String>)
}

/// How many of the records an answer is about to carry may be sent now: a read quota's answer
/// (``SyncScopeProvider/admit(_:via:principal:)``).
public struct ReadAdmission: Sendable, Hashable {
    /// How many records, from the start of the list, may be sent.
    public var admitted: Int
    /// Set when fewer than all were admitted: why, and when to try again.
    public var limit: ReadLimit?

    /// Creates an admission.
    public init(admitted: Int, limit: ReadLimit? = nil) {
        self.admitted = admitted
        self.limit = limit
    }
}

/// The path by which records reach a device.
public enum ReadPath: String, Sendable, Hashable {
    /// A pull page.
    case pull
    /// A push's answers (the record as stored after each mutation).
    case push
}
