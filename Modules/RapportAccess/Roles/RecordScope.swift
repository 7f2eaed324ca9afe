/// Which customers a role reaches without an explicit grant. Roles combine by union.
///
/// Key-tier customers are reached through ``own`` and ``team`` only by their account manager
/// and the managers above that person (see `Docs/Security.md`).
public struct RecordScope: OptionSet, Hashable, Codable, Sendable {
    /// The raw bit mask.
    public var rawValue: UInt8

    /// Creates a scope from its bit mask.
    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// Customers the person owns (and, for key customers, is account manager of).
    public static let own = RecordScope(rawValue: 1 << 0)
    /// Customers owned by, or belonging to, the person's team and every team below it.
    public static let team = RecordScope(rawValue: 1 << 1)
    /// Customers with an open complaint assigned to the person.
    public static let assignedComplaints = RecordScope(rawValue: 1 << 2)
    /// Every customer of the organisation.
    public static let organisation = RecordScope(rawValue: 1 << 3)
}
