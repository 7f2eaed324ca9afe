/// Counts of complaints by SLA outcome and the share that met it.
public struct InsightSLASummary: Sendable, Codable, Hashable {
    /// Complaints that met the target.
    public var met: Int
    /// Complaints that breached it.
    public var breached: Int
    /// Complaints whose outcome is not known yet; left out of ``share``.
    public var pending: Int

    /// Creates a summary.
    public init(met: Int = 0, breached: Int = 0, pending: Int = 0) {
        self.met = met
        self.breached = breached
        self.pending = pending
    }

    /// `met ÷ (met + breached)`; `nil` when no outcome is known.
    public var share: Double? {
        let decided = met + breached
        return decided > 0 ? Double(met) / Double(decided) : nil
    }

    /// Adds one outcome.
    public mutating func record(_ status: InsightSLAStatus) {
        switch status {
        case .met: met += 1
        case .breached: breached += 1
        case .pending: pending += 1
        }
    }
}
