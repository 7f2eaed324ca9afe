/// Whether an insight input customer is a person or a company.
///
/// RFM scores individuals and enterprises apart, and churn uses a different fallback interval
/// for each (see `Docs/Insights.md`).
public enum InsightCustomerKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// A private person.
    case individual
    /// A company or other organisation.
    case enterprise
}
