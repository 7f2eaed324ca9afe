/// A hybrid logical clock (Kulkarni et al., 2014): timestamps that follow wall-clock time,
/// never go backwards, and order every event after everything its node has seen.
///
/// A pure value: the caller passes the wall-clock reading in (``SyncWallClock``), so tests and
/// merges never read the system clock. Use ``tick(wallMillis:)`` for a local event (an edit)
/// and ``observe(_:wallMillis:)`` when a timestamp arrives from elsewhere (a server response,
/// a client mutation). Skew handling is in `HybridLogicalClock+Skew.swift`.
///
/// ```swift
/// var clock = HybridLogicalClock(node: deviceId.uuidString)
/// let edit = clock.tick(wallMillis: wall.nowMillis())
/// clock.observe(response.serverHlc, wallMillis: wall.nowMillis())
/// ```
public struct HybridLogicalClock: Sendable, Hashable {
    /// The node name stamped on every timestamp.
    public let node: String
    /// The latest timestamp issued or observed.
    public private(set) var last: HLCTimestamp

    /// A clock for `node` that has issued nothing yet.
    ///
    /// - Precondition: `node` is 1–64 printable bytes (a device id, `server`).
    public init(node: String) {
        precondition(HLCTimestamp.isValidNode(node), "an HLC node must be 1–64 printable bytes")
        self.node = node
        last = .zero(node: node)
    }

    /// A clock that resumes after `last` (e.g. the newest clock found in the outbox at start-up),
    /// so it stays monotonic across restarts even if the wall clock went back.
    public init(node: String, resumingAfter last: HLCTimestamp?) {
        self.init(node: node)
        if let last { self.last = HLCTimestamp(uncheckedPhysical: last.physicalMillis, counter: last.counter, node: node) }
    }

    /// A timestamp for a local event, later than every timestamp issued or observed so far.
    public mutating func tick(wallMillis: Int64) -> HLCTimestamp {
        let wall = min(max(wallMillis, 0), HLCTimestamp.maxPhysicalMillis)
        if wall > last.physicalMillis {
            last = HLCTimestamp(uncheckedPhysical: wall, counter: 0, node: node)
        } else {
            last = successor(physical: last.physicalMillis, counter: last.counter)
        }
        return last
    }

    /// Merges a remote timestamp into the clock and returns a timestamp later than both it and
    /// every local one. The remote timestamp is taken as given; bound it first with
    /// ``admit(_:wallMillis:maxAheadMillis:)`` where the sender is not trusted.
    @discardableResult
    public mutating func observe(_ remote: HLCTimestamp, wallMillis: Int64) -> HLCTimestamp {
        let wall = min(max(wallMillis, 0), HLCTimestamp.maxPhysicalMillis)
        let physical = max(wall, last.physicalMillis, remote.physicalMillis)
        let counter: Int
        if physical == last.physicalMillis && physical == remote.physicalMillis {
            counter = max(last.counter, remote.counter) + 1
        } else if physical == last.physicalMillis {
            counter = last.counter + 1
        } else if physical == remote.physicalMillis {
            counter = remote.counter + 1
        } else {
            counter = 0
        }
        if counter > HLCTimestamp.maxCounter {
            last = HLCTimestamp(uncheckedPhysical: min(physical + 1, HLCTimestamp.maxPhysicalMillis), counter: 0, node: node)
        } else {
            last = HLCTimestamp(uncheckedPhysical: physical, counter: counter, node: node)
        }
        return last
    }

    private func successor(physical: Int64, counter: Int) -> HLCTimestamp {
        if counter >= HLCTimestamp.maxCounter {
            return HLCTimestamp(uncheckedPhysical: min(physical + 1, HLCTimestamp.maxPhysicalMillis), counter: 0, node: node)
        }
        return HLCTimestamp(uncheckedPhysical: physical, counter: counter + 1, node: node)
    }
}
