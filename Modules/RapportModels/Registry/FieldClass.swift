/// How carefully a field's value must be guarded; access control masks by class.
///
/// Ordered from least to most protected, so `max` of two classes is the stricter one.
public enum FieldClass: String, Codable, Sendable, Comparable, CaseIterable, Hashable {
    /// Visible to everyone who may see the record.
    case ordinary
    /// Personal data (phone, e-mail, address, ID numbers, family, personality, relationships,
    /// notes): reaches a device only for roles that need it; reads are audited.
    case sensitive
    /// Commercial secrets (credit limits and ratings, profit): only for roles that need them.
    case secret

    private var rank: Int {
        switch self {
        case .ordinary: 0
        case .sensitive: 1
        case .secret: 2
        }
    }

    /// `ordinary < sensitive < secret`.
    public static func < (lhs: FieldClass, rhs: FieldClass) -> Bool { lhs.rank < rhs.rank }
}
