import RapportModels

/// Everything the policy needs to know about the organisation at one moment: staff, teams,
/// devices, roles, grants, deny rules and settings. The server loads it from storage and builds
/// an ``AccessPolicy`` from it; after any change it builds a new one.
public struct Organisation: Hashable, Codable, Sendable {
    /// Every member of staff, including suspended and departed ones.
    public var staff: [Staff]
    /// Every team.
    public var teams: [Team]
    /// Every registered device.
    public var devices: [Device]
    /// Custom roles, and built-in roles an administrator changed. Built-ins not listed here
    /// keep their definitions from ``Role/builtIns``.
    public var roles: [Role]
    /// Grants, including expired and revoked ones (they simply have no effect).
    public var grants: [AccessGrant]
    /// Deny rules.
    public var denyRules: [DenyRule]
    /// Organisation-wide settings.
    public var settings: AccessSettings
    /// Custom field definitions; they classify `customFields.<key>` paths (undefined keys count
    /// as sensitive).
    public var customFieldDefinitions: [CustomFieldDefinition]

    /// Creates an organisation snapshot.
    public init(
        staff: [Staff] = [], teams: [Team] = [], devices: [Device] = [], roles: [Role] = [],
        grants: [AccessGrant] = [], denyRules: [DenyRule] = [], settings: AccessSettings = AccessSettings(),
        customFieldDefinitions: [CustomFieldDefinition] = []
    ) {
        self.staff = staff
        self.teams = teams
        self.devices = devices
        self.roles = roles
        self.grants = grants
        self.denyRules = denyRules
        self.settings = settings
        self.customFieldDefinitions = customFieldDefinitions
    }
}
