/// A request for the changes after a cursor (`Docs/Protocol.md`, "Pull").
public struct PullRequest: Codable, Sendable, Hashable {
    /// The protocol version the client speaks.
    public var protocolVersion: Int
    /// The cursor of the last page applied, or `nil` for a first (or reset) sync.
    public var cursor: String?
    /// The most changes (records) the page may hold; at most ``SyncLimits/maxPageSize``.
    /// Absent means the server's default.
    public var limit: Int?

    /// Creates a request with the current protocol version.
    public init(cursor: String?, limit: Int? = nil, protocolVersion: Int = SyncProtocol.currentVersion) {
        self.protocolVersion = protocolVersion
        self.cursor = cursor
        self.limit = limit
    }
}
