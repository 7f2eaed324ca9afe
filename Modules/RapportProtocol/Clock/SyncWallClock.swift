import Foundation
import Synchronization

/// Where sync reads wall-clock time. Merge logic never reads the system clock directly, so
/// tests can drive time by hand.
public protocol SyncWallClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    func nowMillis() -> Int64
}

/// The system clock.
public struct SystemWallClock: SyncWallClock {
    /// Creates the system clock.
    public init() {}

    /// The current time from `Date`.
    public func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}

/// A clock that moves only when told to: for tests and simulations.
///
/// ```swift
/// let clock = ManualWallClock(startMillis: 1_772_358_600_000)
/// clock.advance(byMillis: 1_000)
/// ```
public final class ManualWallClock: SyncWallClock {
    private let millis: Mutex<Int64>

    /// A clock reading `startMillis`.
    public init(startMillis: Int64) { millis = Mutex(startMillis) }

    /// The current reading.
    public func nowMillis() -> Int64 { millis.withLock { $0 } }

    /// Moves the clock forward (or backward, for a negative amount: clocks do jump).
    public func advance(byMillis delta: Int64) { millis.withLock { $0 += delta } }

    /// Sets the reading.
    public func set(millis value: Int64) { millis.withLock { $0 = value } }
}
