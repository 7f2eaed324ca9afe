extension HybridLogicalClock {
    /// The default bound on how far ahead of the server's wall clock a client timestamp may
    /// be: five minutes.
    public static let defaultMaxAheadMillis: Int64 = 5 * 60 * 1000

    /// What the server does with a client timestamp before comparing it (see
    /// `Docs/Protocol.md`, "Clock skew").
    public enum Admission: Sendable, Hashable {
        /// Within the bound; use the timestamp as sent.
        case accepted(HLCTimestamp)
        /// More than the bound ahead of the server's wall clock: the edit is stamped as if it
        /// happened when it arrived (the server's own next timestamp), so a device whose clock
        /// runs fast cannot win every last-writer-wins race.
        case clamped(sent: HLCTimestamp, used: HLCTimestamp)

        /// The timestamp to merge with.
        public var timestamp: HLCTimestamp {
            switch self {
            case .accepted(let stamp): stamp
            case .clamped(_, let used): used
            }
        }
    }

    /// Bounds a remote timestamp against this clock's wall time and observes the result.
    ///
    /// Timestamps at most `maxAheadMillis` ahead of `wallMillis` are accepted and observed;
    /// later ones are replaced by this clock's next tick. Timestamps in the past are always
    /// accepted (a slow device merely loses ties).
    public mutating func admit(
        _ remote: HLCTimestamp, wallMillis: Int64, maxAheadMillis: Int64 = defaultMaxAheadMillis
    ) -> Admission {
        if remote.physicalMillis > wallMillis + maxAheadMillis {
            return .clamped(sent: remote, used: tick(wallMillis: wallMillis))
        }
        observe(remote, wallMillis: wallMillis)
        return .accepted(remote)
    }
}
