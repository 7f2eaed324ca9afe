/// One page of changes (`Docs/Protocol.md`, "Pull"). A page is applied atomically: all of it,
/// then its cursor is stored; a client that crashed part-way pulls the same page again.
public struct PullResponse: Codable, Sendable, Hashable {
    /// The protocol version of the response.
    public var protocolVersion: Int
    /// Records that changed, entered the scope, or were deleted.
    public var changes: [RecordChange]
    /// Records that left the scope.
    public var evictions: [Eviction]
    /// The cursor to send next; store it only after applying the page.
    public var cursor: String
    /// Whether more pages follow now; pull again at once with ``cursor``.
    public var hasMore: Bool
    /// The server's clock; the client observes it.
    public var serverHlc: HLCTimestamp
    /// Present when the device must wipe after handling this response.
    public var wipe: WipeInstruction?
    /// Present when the person's read quota cut this page short: apply it, then stop pulling
    /// until ``ReadLimit/retryAfterSeconds`` have passed (``hasMore`` stays `true`).
    public var limited: ReadLimit?

    /// Creates a page.
    public init(
        changes: [RecordChange], evictions: [Eviction], cursor: String, hasMore: Bool, serverHlc: HLCTimestamp,
        wipe: WipeInstruction? = nil, limited: ReadLimit? = nil, protocolVersion: Int = SyncProtocol.currentVersion
    ) {
        self.protocolVersion = protocolVersion
        self.changes = changes
        self.evictions = evictions
        self.cursor = cursor
        self.hasMore = hasMore
        self.serverHlc = serverHlc
        self.wipe = wipe
        self.limited = limited
    }
}
