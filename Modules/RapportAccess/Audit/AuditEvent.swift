import Foundation

/// What happened, before it is sealed into the chain by ``AuditChain/append(_:now:)``.
///
/// Never put field *values* here: records and field paths identify what was touched.
public struct AuditEvent: Hashable, Codable, Sendable {
    /// Who acted (`nil` for the system itself, e.g. an automatic suspension).
    public var actorId: UUID?
    /// The device used, if any.
    public var deviceId: UUID?
    /// What was done.
    public var action: AuditAction
    /// The records concerned (customers, grants, staff).
    public var recordIds: [UUID]
    /// The field paths concerned.
    public var fields: [String]
    /// Whether it was allowed.
    public var allowed: Bool
    /// Why (a ``DecisionReason`` name, the grant's reason, an alert message).
    public var reason: String

    /// Creates an event.
    public init(
        actorId: UUID?, deviceId: UUID? = nil, action: AuditAction, recordIds: [UUID] = [], fields: [String] = [],
        allowed: Bool = true, reason: String = ""
    ) {
        self.actorId = actorId
        self.deviceId = deviceId
        self.action = action
        self.recordIds = recordIds
        self.fields = fields
        self.allowed = allowed
        self.reason = reason
    }
}
