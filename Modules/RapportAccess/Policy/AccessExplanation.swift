import RapportModels

/// Everything that went into one read decision, for administrators (`rapport-admin explain`).
///
/// Contains identifiers, role names, rule names and dates — never a customer's field values.
public struct AccessExplanation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// One rule that was considered.
    public struct Finding: Hashable, Sendable, Codable {
        /// The rule, e.g. `owner`, `grant 5F1…`, `deny rule 9A2…`.
        public var rule: String
        /// Whether it applied to this customer at this moment.
        public var applies: Bool
        /// What the rule says about this case.
        public var detail: String

        /// Creates a finding.
        public init(rule: String, applies: Bool, detail: String) {
            self.rule = rule
            self.applies = applies
            self.detail = detail
        }
    }

    /// The decision ``AccessPolicy/canRead(_:customer:now:)`` gives.
    public var decision: Decision
    /// Every rule considered, in evaluation order.
    public var findings: [Finding]
    /// What the principal may read of each field class.
    public var fieldAccess: [FieldClass: FieldAccess]

    /// Creates an explanation.
    public init(decision: Decision, findings: [Finding], fieldAccess: [FieldClass: FieldAccess]) {
        self.decision = decision
        self.findings = findings
        self.fieldAccess = fieldAccess
    }

    /// A plain-text report, one line per finding.
    public var description: String {
        var lines = ["decision: \(decision)"]
        for finding in findings {
            lines.append("  [\(finding.applies ? "x" : " ")] \(finding.rule): \(finding.detail)")
        }
        let classes = FieldClass.allCases.map { "\($0.rawValue)=\(fieldAccess[$0].map { "\($0)" } ?? "hidden")" }
        lines.append("  fields: " + classes.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
