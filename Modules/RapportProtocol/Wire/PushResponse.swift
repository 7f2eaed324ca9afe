/// The answer to a ``PushRequest``: one result per mutation, in the same order.
public struct PushResponse: Codable, Sendable, Hashable {
    /// The protocol version of the response.
    public var protocolVersion: Int
    /// One result per mutation, in request order.
    public var results: [MutationResult]
    /// The server's clock after the push; the client observes it so its next edits order
    /// after everything the server has seen.
    public var serverHlc: HLCTimestamp
    /// Present when the device must wipe after handling this response.
    public var wipe: WipeInstruction?

    /// Creates a response.
    public init(results: [MutationResult], serverHlc: HLCTimestamp, wipe: WipeInstruction? = nil, protocolVersion: Int = SyncProtocol.currentVersion) {
        self.protocolVersion = protocolVersion
        self.results = results
        self.serverHlc = serverHlc
        self.wipe = wipe
    }
}
