import Foundation
import RapportAccess

/// One audit entry as the admin API shows and exports it (one JSON object per line in an
/// export): hashes as lowercase hex, time as an ISO-8601 date plus the exact milliseconds the
/// hash covers. Carries ids and field paths, never field values.
public struct AuditLine: Codable, Sendable, Hashable {
    /// Position in the log, from 1.
    public var sequence: UInt64
    /// When it happened.
    public var time: Date
    /// The same instant in milliseconds since 1970, as hashed.
    public var timestampMilliseconds: Int64
    /// Who acted (`nil` for the server itself or an unknown login name).
    public var actorId: UUID?
    /// The device used, if any.
    public var deviceId: UUID?
    /// What was done, e.g. `login`, `statusChanged`, `grantIssued`.
    public var action: String
    /// The records concerned (staff, customers, grants, devices, alerts).
    public var recordIds: [UUID]
    /// The field paths concerned.
    public var fields: [String]
    /// Whether it was allowed.
    public var allowed: Bool
    /// Why, or what happened.
    public var reason: String
    /// The previous entry's hash, hex.
    public var previousHash: String
    /// This entry's hash, hex.
    public var hash: String

    /// The line for a stored entry.
    public init(_ entry: AuditEntry) {
        sequence = entry.sequence
        time = entry.time
        timestampMilliseconds = entry.timestampMilliseconds
        actorId = entry.event.actorId
        deviceId = entry.event.deviceId
        action = entry.event.action.rawValue
        recordIds = entry.event.recordIds
        fields = entry.event.fields
        allowed = entry.event.allowed
        reason = entry.event.reason
        previousHash = Self.hex(entry.previousHash)
        hash = entry.hashHex
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}

/// A page of ``AuditLine``s, newest first, with the cursor for the next (older) page.
public struct AuditPage: Codable, Sendable, Hashable {
    /// The entries.
    public var entries: [AuditLine]
    /// Pass as `cursor` to get older entries; `nil` on the last page.
    public var nextCursor: String?

    /// Creates a page.
    public init(entries: [AuditLine], nextCursor: String?) {
        self.entries = entries
        self.nextCursor = nextCursor
    }
}

/// The result of ``AuditService/verify()``: intact, or the first problem and the sequence
/// number from which entries can no longer be trusted.
public struct AuditReport: Codable, Sendable, Hashable {
    /// Whether no problem was found.
    public var intact: Bool
    /// How many entries were checked.
    public var entriesChecked: Int
    /// How many checkpoints were checked.
    public var checkpointsChecked: Int
    /// The highest sequence sealed by a checkpoint that matched.
    public var lastCheckpointVerified: UInt64?
    /// The newest entry this server process appended (it must still be stored unchanged), if it
    /// appended since it started.
    public var headSequence: UInt64?
    /// The first entry that can no longer be trusted, when a problem was found.
    public var firstBadSequence: UInt64?
    /// The kind of the first problem (`edited`, `removed`, `inserted`, `reordered`, `linkBroken`,
    /// `checkpointMismatch`, `forgedCheckpoint`, `truncated`, `checkpointMissing`, `anchorMissing`).
    public var problem: String?
    /// What an operator should know and do.
    public var message: String
    /// How many anchors (signed heads kept outside the database) were checked.
    public var anchorsChecked: Int = 0
    /// Every problem found, first one first (`"truncated at 41: …"`), not only the first.
    public var findings: [String] = []
    /// The runs of entries known to be missing (e.g. a cut-off end, from the first entry gone
    /// to the newest one an anchor vouches for).
    public var missing: [AuditRange] = []

    /// Creates a report.
    public init(
        intact: Bool, entriesChecked: Int, checkpointsChecked: Int, lastCheckpointVerified: UInt64?,
        headSequence: UInt64?, firstBadSequence: UInt64?, problem: String?, message: String
    ) {
        self.intact = intact
        self.entriesChecked = entriesChecked
        self.checkpointsChecked = checkpointsChecked
        self.lastCheckpointVerified = lastCheckpointVerified
        self.headSequence = headSequence
        self.firstBadSequence = firstBadSequence
        self.problem = problem
        self.message = message
    }
}
