import Foundation
import RapportAccess

/// Who made an authenticated request: the member of staff and the device, both checked
/// against storage on this very request (status active, token valid).
public struct AuthenticatedIdentity: Sendable, Hashable {
    /// The member of staff, as stored now.
    public var staff: Staff
    /// The device the token was issued to, as stored now.
    public var device: RegisteredDevice

    /// Creates an identity.
    public init(staff: Staff, device: RegisteredDevice) {
        self.staff = staff
        self.device = device
    }

    /// The access-policy principal (staff through device).
    public var principal: Principal { Principal(staffId: staff.id, deviceId: device.id) }
}
