/// How much of a field's value a principal may read. Ordered from least to most.
public enum FieldAccess: Int, Codable, Sendable, CaseIterable, Comparable {
    /// The field is left out of the record entirely; the client does not learn it exists.
    case hidden
    /// The client receives a masked form (`138****5678`, `z***@example.com`) or a marker
    /// object saying the value exists.
    case masked
    /// Masked by default; the principal may ask to reveal one field of one record, which is
    /// quota-limited (sensitive reveals per hour) and audited.
    case revealOnRequest
    /// The value is sent in clear.
    case full

    /// Orders by how much is revealed.
    public static func < (lhs: FieldAccess, rhs: FieldAccess) -> Bool { lhs.rawValue < rhs.rawValue }
}
