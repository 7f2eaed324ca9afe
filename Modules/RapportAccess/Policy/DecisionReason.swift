/// Why a decision came out the way it did. A struct over a private enum so reasons can be added
/// without breaking callers; compare with the static members.
///
/// Reasons never contain a field value, so they are safe to send to any client and to log.
public struct DecisionReason: Hashable, Sendable, Codable, CustomStringConvertible {
    private enum Base: String, Hashable, Sendable, Codable {
        // Allowed.
        case owner, teamScope, keyAccountManager, keyAccountManagersManager, assignedComplaint
        case organisationScope, customerGrant, segmentGrant, breakGlass, permitted, withinQuota
        // Denied.
        case unknownPrincipal, suspended, departed, deviceNotUsable, denyRule, outsideScope
        case keyCustomerRestricted, roleLacksPermission, noticePeriod, fieldClassNotWritable
        case unknownField, quotaExceeded
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// The person owns the customer.
    public static let owner = DecisionReason(.owner)
    /// The customer belongs to (or is owned within) the person's team subtree.
    public static let teamScope = DecisionReason(.teamScope)
    /// The person is the key customer's account manager.
    public static let keyAccountManager = DecisionReason(.keyAccountManager)
    /// The person manages the team of the key customer's account manager.
    public static let keyAccountManagersManager = DecisionReason(.keyAccountManagersManager)
    /// The customer has an open complaint assigned to the person.
    public static let assignedComplaint = DecisionReason(.assignedComplaint)
    /// The person's role reaches every customer.
    public static let organisationScope = DecisionReason(.organisationScope)
    /// An unexpired grant names this customer.
    public static let customerGrant = DecisionReason(.customerGrant)
    /// An unexpired grant names a segment (tag, tier, team) the customer is in.
    public static let segmentGrant = DecisionReason(.segmentGrant)
    /// An approved, unexpired break-glass grant.
    public static let breakGlass = DecisionReason(.breakGlass)
    /// The role permits the action (used for writes and exports).
    public static let permitted = DecisionReason(.permitted)
    /// The event fits in the person's quota.
    public static let withinQuota = DecisionReason(.withinQuota)

    /// No such member of staff in the policy snapshot.
    public static let unknownPrincipal = DecisionReason(.unknownPrincipal)
    /// The person is suspended.
    public static let suspended = DecisionReason(.suspended)
    /// The person has left the organisation.
    public static let departed = DecisionReason(.departed)
    /// The device is revoked, unknown, or belongs to someone else.
    public static let deviceNotUsable = DecisionReason(.deviceNotUsable)
    /// A deny rule names this customer or a segment it is in; deny rules win over everything.
    public static let denyRule = DecisionReason(.denyRule)
    /// Nothing in the person's roles or grants reaches this customer.
    public static let outsideScope = DecisionReason(.outsideScope)
    /// A key-tier customer: only its account manager and that person's managers see it.
    public static let keyCustomerRestricted = DecisionReason(.keyCustomerRestricted)
    /// None of the person's roles allows this action on this kind of record.
    public static let roleLacksPermission = DecisionReason(.roleLacksPermission)
    /// The person is serving notice: read-only, no export, no unmasking.
    public static let noticePeriod = DecisionReason(.noticePeriod)
    /// The person may not write fields of this class.
    public static let fieldClassNotWritable = DecisionReason(.fieldClassNotWritable)
    /// The field is not in the field registry; unknown fields are refused.
    public static let unknownField = DecisionReason(.unknownField)
    /// The person's quota for this kind of event is used up.
    public static let quotaExceeded = DecisionReason(.quotaExceeded)

    /// The reason's stable name, e.g. `keyCustomerRestricted`.
    public var name: String { base.rawValue }

    /// A sentence an administrator or client can show; never contains a field value.
    public var description: String {
        switch base {
        case .owner: "you own this customer"
        case .teamScope: "the customer belongs to your team or a team below it"
        case .keyAccountManager: "you are this key customer's account manager"
        case .keyAccountManagersManager: "you manage this key customer's account manager"
        case .assignedComplaint: "an open complaint of this customer is assigned to you"
        case .organisationScope: "your role reaches every customer"
        case .customerGrant: "an unexpired grant names this customer"
        case .segmentGrant: "an unexpired grant covers a segment this customer is in"
        case .breakGlass: "an approved break-glass grant is in effect"
        case .permitted: "your role permits this"
        case .withinQuota: "within your quota"
        case .unknownPrincipal: "unknown member of staff; sign in again or ask an administrator"
        case .suspended: "your access is suspended; contact an administrator"
        case .departed: "this account belongs to someone who has left"
        case .deviceNotUsable: "this device is revoked or not registered to you; wipe it and register again"
        case .denyRule: "a deny rule excludes this customer for you"
        case .outsideScope: "this customer is outside your scope; ask an administrator for a grant"
        case .keyCustomerRestricted:
            "key customers are visible only to their account manager and that person's managers"
        case .roleLacksPermission: "none of your roles allows this; ask an administrator"
        case .noticePeriod: "during the notice period access is read-only, without export or unmasking"
        case .fieldClassNotWritable: "your roles may not change fields of this class"
        case .unknownField: "unknown field; update the app or check the field name"
        case .quotaExceeded: "quota used up; try again later or ask an administrator"
        }
    }

    /// Decodes a reason from its name; an unknown name becomes ``outsideScope``.
    public init(from decoder: any Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        self.base = Base(rawValue: name) ?? .outsideScope
    }

    /// Encodes the reason's name.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(base.rawValue)
    }
}
