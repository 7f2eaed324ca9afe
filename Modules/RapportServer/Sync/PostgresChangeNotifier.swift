import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The ``ChangeNotifier`` of instances sharing one PostgreSQL database: a change publishes to
/// this process's ``ChangeFeed`` at once and sends `NOTIFY rapport_changes` with this
/// instance's id and the writing device; one connection per instance `LISTEN`s and publishes
/// what other instances send to its own feed, so a device connected to instance A gets the
/// live `changes` event for a write made through B (`Docs/ScaleOut.md`).
///
/// The listening connection reconnects by itself (after one second) when the database goes
/// away; notices sent meanwhile are lost, which the live channel tolerates: it is a hint to
/// pull, and devices also pull on their own schedule.
public final class PostgresChangeNotifier: ChangeNotifier {
    /// The `LISTEN` channel.
    public static let channel = "rapport_changes"

    private let storage: PostgresServerStorage
    private let logger: Logger
    /// This instance's id in notices (its own notices are not published twice).
    let instanceId = UUID()
    private let state = Mutex<(feed: ChangeFeed?, listener: Task<Void, Never>?)>((nil, nil))

    /// Creates the notifier; ``start(feed:)`` begins listening.
    public init(storage: PostgresServerStorage, logger: Logger) {
        self.storage = storage
        self.logger = logger
    }

    deinit { state.withLock { $0.listener?.cancel() } }

    /// Publishes to this process's feed and notifies the other instances.
    public func changed(origin: UUID?) async {
        state.withLock { $0.feed }?.publish(origin: origin)
        let payload = instanceId.uuidString + " " + (origin?.uuidString ?? "-")
        do {
            try await storage.withConnection { connection in
                try await connection.query(
                    "SELECT pg_notify(\(Self.channel), \(payload))", logger: self.logger
                ).collect()
            }
        } catch {
            logger.warning(
                "could not notify the other instances of a change; their devices pull on their own schedule",
                metadata: ["error": "\(error)"])
        }
    }

    /// Starts listening and publishing what other instances notify to `feed`.
    public func start(feed: ChangeFeed) {
        let task = Task { [storage, logger, instanceId] in
            while !Task.isCancelled {
                do {
                    try await storage.client.withConnection { connection in
                        try await connection.listen(on: Self.channel) { notifications in
                            for try await notification in notifications {
                                let parts = notification.payload.split(separator: " ")
                                guard parts.count == 2, parts[0] != Substring(instanceId.uuidString) else { continue }
                                feed.publish(origin: UUID(uuidString: String(parts[1])))
                            }
                        }
                    }
                } catch {
                    if Task.isCancelled { return }
                    logger.warning("the change listener lost PostgreSQL; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
        state.withLock {
            $0.feed = feed
            $0.listener?.cancel()
            $0.listener = task
        }
    }

    /// Stops listening.
    public func stop() { state.withLock { $0.listener?.cancel() } }
}
