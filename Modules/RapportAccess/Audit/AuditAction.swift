/// What an audit entry records. A string-backed struct so new actions can be added without
/// breaking readers.
public struct AuditAction: RawRepresentable, Hashable, Codable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The action's stable name.
    public var rawValue: String

    /// Creates an action from its name.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Creates an action from a literal name.
    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// A member of staff signed in (or a device was bound).
    public static let login: AuditAction = "login"
    /// Records containing sensitive fields were sent in clear.
    public static let sensitiveRead: AuditAction = "sensitiveRead"
    /// A masked sensitive value was revealed on request.
    public static let reveal: AuditAction = "reveal"
    /// Records were exported.
    public static let export: AuditAction = "export"
    /// A grant was issued.
    public static let grantIssued: AuditAction = "grantIssued"
    /// A grant was approved by a second administrator.
    public static let grantApproved: AuditAction = "grantApproved"
    /// A grant was revoked.
    public static let grantRevoked: AuditAction = "grantRevoked"
    /// Break-glass access was used.
    public static let breakGlass: AuditAction = "breakGlass"
    /// Someone's roles changed.
    public static let roleChanged: AuditAction = "roleChanged"
    /// Someone's status changed (notice, suspension, departure).
    public static let statusChanged: AuditAction = "statusChanged"
    /// A deny rule was added or removed.
    public static let denyRuleChanged: AuditAction = "denyRuleChanged"
    /// A device was revoked.
    public static let deviceRevoked: AuditAction = "deviceRevoked"
    /// A request was refused.
    public static let accessDenied: AuditAction = "accessDenied"
    /// An anomaly alert was raised.
    public static let alertRaised: AuditAction = "alertRaised"
    /// Records were sent to a device (a pull page, a push's answers): `recordIds` are the
    /// distinct customers they belong to, `reason` is `"<path> <kind>=<count> …"` with the
    /// number of records of each kind (e.g. `"pull customer=12 contact=3"`), so reports can
    /// say what a person received without the log holding any value.
    public static let recordsSent: AuditAction = "recordsSent"

    /// The action's name.
    public var description: String { rawValue }

    /// Decodes from a bare string.
    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    /// Encodes as a bare string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
