import Foundation

/// Who is asking: a member of staff, optionally through one of their devices.
///
/// When ``deviceId`` is set, the device must be registered to the same person and be active,
/// or every decision is a denial with reason ``DecisionReason/deviceNotUsable``.
public struct Principal: Sendable, Hashable, Codable {
    /// The member of staff.
    public var staffId: UUID
    /// The device the request came through, if any (the admin terminal has none).
    public var deviceId: UUID?

    /// Creates a principal.
    public init(staffId: UUID, deviceId: UUID? = nil) {
        self.staffId = staffId
        self.deviceId = deviceId
    }
}
