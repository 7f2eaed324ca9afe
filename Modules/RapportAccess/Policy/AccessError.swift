/// An error raised by ``RapportAccess`` when a request cannot be carried out (a grant that breaks
/// separation of duties, an invalid duration, an unknown member of staff, …).
///
/// Messages say what to do next and never contain a customer's field values.
public struct AccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case unknownStaff, notPermitted, selfGrant, reasonRequired, invalidDuration
            case approvalNotNeeded, invalidApprover, grantNotFound, inactiveStaff, invalidTarget
            case unknownTeam, unknownRole
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        /// A member of staff named in the request does not exist.
        public static let unknownStaff = Code(.unknownStaff)
        /// The acting person's roles do not allow the request.
        public static let notPermitted = Code(.notPermitted)
        /// The request would widen the acting person's own access.
        public static let selfGrant = Code(.selfGrant)
        /// A reason must be given.
        public static let reasonRequired = Code(.reasonRequired)
        /// A duration or expiry is outside the allowed range.
        public static let invalidDuration = Code(.invalidDuration)
        /// The grant is not waiting for approval.
        public static let approvalNotNeeded = Code(.approvalNotNeeded)
        /// The approver is the requester, the grantee, or not an active administrator.
        public static let invalidApprover = Code(.invalidApprover)
        /// No grant with that identifier.
        public static let grantNotFound = Code(.grantNotFound)
        /// The acting person or the grantee is not active (suspended, departed or on notice).
        public static let inactiveStaff = Code(.inactiveStaff)
        /// The grant's target does not fit its kind (e.g. break-glass on a single segment).
        public static let invalidTarget = Code(.invalidTarget)
        /// A team named in the request does not exist.
        public static let unknownTeam = Code(.unknownTeam)
        /// A role named in the request is not defined.
        public static let unknownRole = Code(.unknownRole)

        /// The code's name, e.g. `selfGrant`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable explanation that says what to do next.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `AccessError(code): message`.
    public var description: String { "AccessError(\(code)): \(message)" }
}
