import Logging
import Synchronization

/// Logs connections met by a connection limit without letting a flood of them flood the log:
/// the first at once, then at most one line every ten seconds with the count since the last.
final class RefusalLog: Sendable {
    private struct State {
        var last: ContinuousClock.Instant?
        var unlogged = 0
    }

    private let state = Mutex(State())
    private let interval: Duration

    init(interval: Duration = .seconds(10)) {
        self.interval = interval
    }

    func note(
        reason: ConnectionLimiter.Reason, outcome: String, address: String?, limiter: ConnectionLimiter, logger: Logger
    ) {
        let now = ContinuousClock.now
        let since: Int? = state.withLock { state in
            state.unlogged += 1
            if let last = state.last, now - last < interval { return nil }
            state.last = now
            defer { state.unlogged = 0 }
            return state.unlogged
        }
        guard let since else { return }
        let counts = limiter.current
        logger.warning(
            "connection limit reached",
            metadata: [
                "limit": "\(reason == .total ? "maxConnections" : "maxConnectionsPerAddress")",
                "outcome": "\(outcome)", "client": "\(address ?? "-")", "open": "\(counts.open)",
                "probeOnly": "\(counts.probes)", "maxConnections": "\(limiter.maxConnections)",
                "maxConnectionsPerAddress": "\(limiter.maxPerAddress)", "limitedSinceLastLog": "\(since)",
            ])
    }
}
