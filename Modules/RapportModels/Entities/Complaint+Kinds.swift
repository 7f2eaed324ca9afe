extension Complaint {
    /// How serious a complaint is.
    public enum Severity: String, WireEnum {
        /// Minor inconvenience.
        case low
        /// Noticeable problem.
        case medium
        /// Serious problem.
        case high
        /// Safety, legal or major commercial impact.
        case critical
    }

    /// The handling stages, in order.
    public enum Stage: String, WireEnum, Comparable {
        /// Received from the customer.
        case received
        /// Acknowledged to the customer (the first response).
        case acknowledged
        /// Under investigation.
        case investigating
        /// Resolved.
        case resolved
        /// The customer was followed up after resolution.
        case followedUp
        /// Closed.
        case closed

        /// The stage's position, 0 for ``received``.
        public var position: Int { Self.allCases.firstIndex(of: self) ?? 0 }

        /// Earlier stages sort first.
        public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.position < rhs.position }
    }
}
