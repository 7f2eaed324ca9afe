import Foundation

/// Tells the live channels of every server instance that the change log advanced, so their
/// devices pull now (`GET /v1/sync/events`). Called after the writing unit commits.
///
/// With one process on SQLite, ``InProcessChangeNotifier`` hands the notice straight to this
/// process's ``ChangeFeed``. Several instances on PostgreSQL would use `NOTIFY` here and a
/// `LISTEN`ing connection per instance that publishes what arrives to its own feed
/// (`Docs/ScaleOut.md`, "What is shared").
public protocol ChangeNotifier: Sendable {
    /// The change log advanced; `origin` is the device that wrote (its own connections are not
    /// told), `nil` for the server's own writes and organisation changes.
    func changed(origin: UUID?) async
}

/// The notifier of a single process: publishes to its ``ChangeFeed``.
public struct InProcessChangeNotifier: ChangeNotifier {
    /// The feed the live channels of this process subscribe to.
    public let feed: ChangeFeed

    /// Creates the notifier.
    public init(feed: ChangeFeed) { self.feed = feed }

    /// Publishes to ``feed``.
    public func changed(origin: UUID?) async { feed.publish(origin: origin) }
}
