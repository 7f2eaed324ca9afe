import Foundation

/// An early warning raised by an insight rule.
///
/// Warnings are plain values. The server keeps one open alert per ``dedupeKey``: a warning with
/// a key that is already open updates it, and an open alert whose key is absent from the next
/// evaluation has cleared and can be closed. Keys are stable across evaluations:
/// `"<kind>:<customerId>"`, plus `":<planId>"` or `":<budgetId>"` for plan and budget warnings.
///
/// ```swift
/// let open = Set(previous.map(\.dedupeKey))
/// let now = Set(rules.warnings(for: facts, asOf: asOf).map(\.dedupeKey))
/// let cleared = open.subtracting(now)   // close these alerts
/// ```
public struct InsightWarning: Sendable, Codable, Hashable {
    /// What the warning is about.
    public var kind: InsightWarningKind
    /// Warning or critical.
    public var severity: InsightSeverity
    /// The customer concerned.
    public var customerId: UUID
    /// Stable identity of the condition, independent of severity and values.
    public var dedupeKey: String
    /// The figures behind the warning (never NaN or infinite); keys are listed per rule in
    /// `Docs/Insights.md`.
    public var values: [String: Double]

    /// Creates a warning.
    public init(
        kind: InsightWarningKind,
        severity: InsightSeverity,
        customerId: UUID,
        dedupeKey: String,
        values: [String: Double] = [:]
    ) {
        self.kind = kind
        self.severity = severity
        self.customerId = customerId
        self.dedupeKey = dedupeKey
        self.values = values.filter { $0.value.isFinite }
    }

    /// The dedupe key for a warning of `kind` about `customerId`, optionally narrowed to one
    /// plan or budget.
    public static func dedupeKey(kind: InsightWarningKind, customerId: UUID, subject: UUID? = nil) -> String {
        var key = "\(kind.rawValue):\(customerId.uuidString.lowercased())"
        if let subject {
            key += ":\(subject.uuidString.lowercased())"
        }
        return key
    }
}
