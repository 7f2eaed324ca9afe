import Foundation
import RapportAccess

/// Filters for ``AuditService/query(_:)``: every filter that is set must hold. Results come
/// newest first; ``before`` continues a page (the cursor of ``AuditPage/nextCursor``).
///
/// ```swift
/// let page = try await audit.query(AuditQuery(staffId: ana, from: weekAgo, limit: 50))
/// ```
public struct AuditQuery: Sendable, Hashable {
    /// Entries by this person, or naming this person among their records.
    public var staffId: UUID?
    /// Entries naming this customer (or any record id) among their records.
    public var recordId: UUID?
    /// Entries of this action.
    public var action: AuditAction?
    /// Entries at or after this instant.
    public var from: Date?
    /// Entries before this instant.
    public var to: Date?
    /// Only entries with a sequence number below this (paging backwards).
    public var before: UInt64?
    /// At most this many entries (1…1000).
    public var limit: Int

    /// The largest page.
    public static let maximumLimit = 1_000

    /// Creates a query; `limit` is clamped to 1…``maximumLimit``.
    public init(
        staffId: UUID? = nil, recordId: UUID? = nil, action: AuditAction? = nil, from: Date? = nil, to: Date? = nil,
        before: UInt64? = nil, limit: Int = 100
    ) {
        self.staffId = staffId
        self.recordId = recordId
        self.action = action
        self.from = from
        self.to = to
        self.before = before
        self.limit = min(max(limit, 1), Self.maximumLimit)
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1_000).rounded(.down)) }
}
