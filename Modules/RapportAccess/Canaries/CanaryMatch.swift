import Foundation

/// A leaked value that matched a canary.
public struct CanaryMatch: Hashable, Codable, Sendable {
    /// Which of the canary's values matched.
    public enum Field: String, Hashable, Codable, Sendable {
        /// The mobile number (the strongest evidence: 10^8 numbers per prefix).
        case phone
        /// The e-mail address.
        case email
        /// The customer id.
        case id
        /// The name (weak on its own: names repeat, so several people may match).
        case name
    }

    /// The member of staff the canary was planted for.
    public var staffId: UUID
    /// Which of their canaries.
    public var index: Int
    /// Which value matched.
    public var field: Field

    /// Creates a match.
    public init(staffId: UUID, index: Int, field: Field) {
        self.staffId = staffId
        self.index = index
        self.field = field
    }
}
