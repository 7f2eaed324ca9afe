import Foundation

/// A leaked value that matched a canary, and how much the match proves.
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
        /// The masked mobile number a client without clear access receives (`138****5678`):
        /// three and four digits kept, so other numbers share the mask.
        case maskedPhone
        /// The masked e-mail a client receives (`z***@qq.com`): one letter and the domain kept,
        /// shared by many addresses.
        case maskedEmail
        /// The customer code planted with the canary.
        case code
        /// The id of a history record (contact, interaction, order …) planted under the canary.
        case history
    }

    /// How much a match proves (Docs/Security.md, "Canary records").
    public enum Strength: String, Hashable, Codable, Sendable, Comparable {
        /// The value exists only in this canary (full phone, e-mail, id, code, history id): the
        /// copy came from this person's scope.
        case conclusive
        /// One canary in the organisation carries this masked phone; a real number shares the
        /// mask by chance with a probability of about 1 in 300,000 per leaked number.
        case strong
        /// Several candidates share it, or many real values could (a name, a masked e-mail):
        /// corroborate with other values of the same leak.
        case weak

        public static func < (lhs: Strength, rhs: Strength) -> Bool {
            let order: [Strength] = [.conclusive, .strong, .weak]
            return order.firstIndex(of: lhs)! < order.firstIndex(of: rhs)!
        }
    }

    /// The member of staff the canary was planted for.
    public var staffId: UUID
    /// Which of their canaries.
    public var index: Int
    /// Which value matched.
    public var field: Field
    /// How much this match proves.
    public var strength: Strength
    /// How many canaries (of everyone traced) share the matched value: 1 for a unique match.
    public var candidates: Int

    /// Creates a match.
    public init(staffId: UUID, index: Int, field: Field, strength: Strength? = nil, candidates: Int = 1) {
        self.staffId = staffId
        self.index = index
        self.field = field
        self.candidates = candidates
        self.strength = strength ?? Self.strength(of: field, candidates: candidates)
    }

    /// The strength of a match on `field` shared by `candidates` canaries.
    public static func strength(of field: Field, candidates: Int) -> Strength {
        switch field {
        case .phone, .email, .id, .code, .history: candidates == 1 ? .conclusive : .strong
        case .maskedPhone: candidates == 1 ? .strong : .weak
        case .name, .maskedEmail: .weak
        }
    }
}
