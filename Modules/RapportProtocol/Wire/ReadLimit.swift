import Foundation

/// Sent with a pull page that carries fewer records than it could because the person's read
/// quota is reached: the page is complete and consistent, the rest follows once the quota
/// allows (`Docs/Protocol.md` §4). Clients stop pulling for now and show the message.
public struct ReadLimit: Codable, Sendable, Hashable {
    /// What happened and what to do, for the user.
    public var message: String
    /// Seconds until the quota allows more (the next local midnight for a daily quota).
    public var retryAfterSeconds: Int

    /// Creates a read limit.
    public init(message: String, retryAfterSeconds: Int) {
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }
}
