/// The name of a role, built-in (``admin``, ``manager``, ``salesRep``, ``supportAgent``,
/// ``auditor``) or custom (any other string an administrator defines).
public struct RoleID: RawRepresentable, Hashable, Comparable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The role's stable name, e.g. `salesRep`.
    public var rawValue: String

    /// Creates a role identifier from its name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates a role identifier from a literal name.
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// Everything, organisation-wide; the only role that may issue grants and change roles.
    public static let admin: RoleID = "admin"
    /// A team lead: the customers of their team subtree.
    public static let manager: RoleID = "manager"
    /// A salesperson: their own customers.
    public static let salesRep: RoleID = "salesRep"
    /// Customer service: customers with an open complaint assigned to them.
    public static let supportAgent: RoleID = "supportAgent"
    /// Read-only oversight: organisation-wide, sensitive fields masked, no secret fields.
    public static let auditor: RoleID = "auditor"

    /// The five roles every organisation has.
    public static let builtIns: [RoleID] = [.admin, .manager, .salesRep, .supportAgent, .auditor]

    /// Orders roles by name.
    public static func < (lhs: RoleID, rhs: RoleID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The role's name.
    public var description: String { rawValue }

    /// Encodes as a bare string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
