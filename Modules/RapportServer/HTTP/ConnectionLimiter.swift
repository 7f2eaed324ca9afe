import Foundation
import Synchronization

/// Counts open connections, in all and per client address, and decides for each new one
/// whether it is served, kept for one health-check request, or closed at once
/// (`Docs/Operations.md`, "Limits").
///
/// ```swift
/// let limiter = ConnectionLimiter(maxConnections: 2, maxPerAddress: 1, probeConnections: 1)
/// limiter.admit(address: "10.0.0.1")   // .serve
/// limiter.admit(address: "10.0.0.1")   // .probeOnly(.address)
/// limiter.admit(address: "10.0.0.1")   // .refuse(.address)
/// ```
public final class ConnectionLimiter: Sendable {
    /// Which limit a connection met.
    public enum Reason: String, Sendable {
        /// ``ConnectionLimits/maxConnections``.
        case total
        /// ``ConnectionLimits/maxConnectionsPerAddress``.
        case address
    }

    /// What a new connection gets.
    public enum Admission: Sendable, Equatable {
        /// Served as usual.
        case serve
        /// Over a limit, but a reserved slot is free: one request to `/healthz`, `/readyz` or
        /// `/metrics` is served, anything else answered 503 `connectionLimit`.
        case probeOnly(Reason)
        /// Over a limit and no reserved slot free: closed at once.
        case refuse(Reason)
    }

    /// Counts right now.
    public struct Counts: Sendable, Equatable {
        /// Connections served (not counting probe-only ones).
        public var open = 0
        /// Probe-only connections.
        public var probes = 0
        /// Served connections per client-address key.
        public var perAddress: [String: Int] = [:]
        /// The most served connections since the last ``ConnectionLimiter/release(_:address:)``
        /// that asked for a memory trim.
        public var peak = 0
    }

    /// Open connections at or above which a burst is worth trimming memory after.
    public static let trimAfterPeak = 256

    /// The limit on served connections.
    public let maxConnections: Int
    /// The limit per client address.
    public let maxPerAddress: Int
    /// Slots reserved for health checks beyond ``maxConnections``.
    public let probeConnections: Int
    private let unlimitedAddresses: Set<String>
    private let counts = Mutex(Counts())

    /// Creates a limiter; `unlimitedAddresses` (trusted proxies) are not limited per address.
    public init(maxConnections: Int, maxPerAddress: Int, probeConnections: Int, unlimitedAddresses: Set<String> = []) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
        self.probeConnections = probeConnections
        self.unlimitedAddresses = unlimitedAddresses
    }

    /// The counts right now.
    public var current: Counts { counts.withLock { $0 } }

    /// Decides for a connection from `address` (`nil`: no IP address, counted in all only) and
    /// counts it; call ``release(_:address:)`` with the answer when it closes.
    public func admit(address: String?) -> Admission {
        let key = key(of: address)
        return counts.withLock { counts in
            let reason: Reason?
            if counts.open >= maxConnections {
                reason = .total
            } else if let key, counts.perAddress[key, default: 0] >= maxPerAddress {
                reason = .address
            } else {
                reason = nil
            }
            guard let reason else {
                counts.open += 1
                counts.peak = max(counts.peak, counts.open)
                if let key { counts.perAddress[key, default: 0] += 1 }
                return .serve
            }
            guard counts.probes < probeConnections else { return .refuse(reason) }
            counts.probes += 1
            return .probeOnly(reason)
        }
    }

    /// Uncounts a connection admitted as `admission`. Returns `true` when a burst of at least
    /// ``trimAfterPeak`` connections has fallen to a quarter of its peak: then is the time to give
    /// the memory its connections used back to the system (``MemoryTrim``).
    @discardableResult
    public func release(_ admission: Admission, address: String?) -> Bool {
        let key = key(of: address)
        return counts.withLock { counts in
            var trim = false
            switch admission {
            case .serve:
                counts.open -= 1
                if let key {
                    let left = counts.perAddress[key, default: 1] - 1
                    counts.perAddress[key] = left > 0 ? left : nil
                }
            case .probeOnly:
                counts.probes -= 1
            case .refuse:
                break
            }
            if counts.peak >= Self.trimAfterPeak, counts.open * 4 <= counts.peak {
                counts.peak = counts.open
                trim = true
            }
            return trim
        }
    }

    private func key(of address: String?) -> String? {
        guard let address, !unlimitedAddresses.contains(address) else { return nil }
        return ClientAddress.throttleKey(address)
    }
}
