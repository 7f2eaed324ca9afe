import Foundation
import Synchronization

/// Tells live-channel subscribers (`GET /v1/sync/events`) that the change log advanced, so
/// their devices pull now instead of waiting for the next scheduled sync.
///
/// The notice carries no data: a device learns *what* changed only through a pull, where scope
/// and masking apply. The device that made the change is not notified of it.
public final class ChangeFeed: Sendable {
    /// What a subscriber receives.
    public enum Event: Sendable, Hashable {
        /// The change log advanced; pull.
        case changes
        /// Nothing happened; a keep-alive for proxies and for noticing dead connections.
        case heartbeat
    }

    /// One live-channel connection.
    public struct Subscription: Sendable {
        /// Identifies the subscription for ``ChangeFeed/unsubscribe(_:)``.
        public let id: UUID
        /// The events, in order; finishes on ``ChangeFeed/finishAll()`` or unsubscribe.
        public let events: AsyncStream<Event>
        /// Where the connection's own heartbeats are fed in.
        public let continuation: AsyncStream<Event>.Continuation
    }

    private struct Subscriber: Sendable {
        var device: UUID?
        var continuation: AsyncStream<Event>.Continuation
    }

    private let subscribers = Mutex<[UUID: Subscriber]>([:])
    private let finished = Mutex(false)

    /// Creates a feed with no subscribers.
    public init() {}

    /// Subscribes the connection of `device`. Buffers a few events; a slow reader loses only
    /// older duplicates, never the fact that something changed.
    public func subscribe(device: UUID?) -> Subscription {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self, bufferingPolicy: .bufferingNewest(16))
        let id = UUID()
        if finished.withLock({ $0 }) {
            continuation.finish()
        } else {
            subscribers.withLock { $0[id] = Subscriber(device: device, continuation: continuation) }
        }
        return Subscription(id: id, events: events, continuation: continuation)
    }

    /// Ends a subscription.
    public func unsubscribe(_ id: UUID) {
        let removed = subscribers.withLock { $0.removeValue(forKey: id) }
        removed?.continuation.finish()
    }

    /// Notifies every subscriber except the connections of `origin` (the device that wrote).
    public func publish(origin: UUID? = nil) {
        let targets = subscribers.withLock { all in all.values.filter { origin == nil || $0.device != origin } }
        for target in targets { target.continuation.yield(.changes) }
    }

    /// How many connections are subscribed.
    public var subscriberCount: Int { subscribers.withLock { $0.count } }

    /// Ends every subscription and refuses new ones (shutdown).
    public func finishAll() {
        finished.withLock { $0 = true }
        let all = subscribers.withLock { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for subscriber in all { subscriber.continuation.finish() }
    }
}
