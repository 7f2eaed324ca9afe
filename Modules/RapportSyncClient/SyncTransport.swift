import RapportProtocol

/// How the client engine reaches a server: two calls, one per sync message. `RapportClient`'s
/// `HTTPSyncTransport` implements it over HTTP; the sync tests' `InProcessTransport`
/// (`Tests/RapportSyncTests/Support`) calls a `SyncServer` in the same process.
///
/// Implementations throw ``SyncError`` for error bodies (``SyncErrorBody/syncError``) and a
/// ``SyncError/Code/transport`` error for network failures, so the engine can tell what to
/// retry.
public protocol SyncTransport: Sendable {
    /// Sends a push and returns the server's results.
    func push(_ request: PushRequest) async throws -> PushResponse
    /// Fetches one page of changes.
    func pull(_ request: PullRequest) async throws -> PullResponse
}
