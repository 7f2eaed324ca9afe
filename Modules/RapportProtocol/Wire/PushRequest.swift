/// A batch of local mutations (`Docs/Protocol.md`, "Push"). The server applies them in order;
/// a rejection never stops the ones after it.
public struct PushRequest: Codable, Sendable, Hashable {
    /// The protocol version the client speaks (``SyncProtocol/currentVersion``).
    public var protocolVersion: Int
    /// At most ``SyncLimits/maxBatchSize`` mutations, oldest first.
    public var mutations: [Mutation]

    /// Creates a request with the current protocol version.
    public init(mutations: [Mutation], protocolVersion: Int = SyncProtocol.currentVersion) {
        self.protocolVersion = protocolVersion
        self.mutations = mutations
    }
}
