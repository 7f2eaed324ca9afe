/// How the recency score of an ``InsightRFMScore`` was found.
public enum InsightRFMRecencyMethod: String, Sendable, Codable, Hashable, CaseIterable {
    /// By quintile within the customer's segment.
    case quintile
    /// By ``InsightThresholds/rfmRecencyCutoffDays``, because the segment is smaller than
    /// ``InsightThresholds/rfmMinimumSegmentSize``.
    case fixedCutoffs
}
