import Foundation
import RapportAccess

/// A member of staff as the admin API shows it.
struct StaffView: Codable, Sendable {
    var id: UUID
    var name: String
    /// What the person signs in with (unique, case-insensitive); `nil` for someone without a login.
    /// `rapport-admin` names people by it (`staff offboard ana.lima`).
    var loginName: String?
    var teamId: UUID
    var roles: [String]
    var status: String
    var devices: [DeviceView]?

    init(_ staff: Staff, loginName: String?, devices: [RegisteredDevice]? = nil) {
        id = staff.id
        name = staff.name
        self.loginName = loginName
        teamId = staff.teamId
        roles = staff.roles.map(\.rawValue).sorted()
        status = staff.status.rawValue
        self.devices = devices.map { $0.map(DeviceView.init) }
    }
}

/// A device as the admin API shows it (never its lease key).
struct DeviceView: Codable, Sendable {
    var id: UUID
    var staffId: UUID
    var name: String
    var platform: String
    var status: String
    var registeredAt: Date
    var lastSeenAt: Date
    var leaseExpiresAt: Date
    var revokedAt: Date?

    init(_ device: RegisteredDevice) {
        id = device.id
        staffId = device.device.staffId
        name = device.name
        platform = device.platform
        status = device.device.status.rawValue
        registeredAt = device.registeredAt
        lastSeenAt = device.lastSeenAt
        leaseExpiresAt = device.leaseExpiresAt
        revokedAt = device.revokedAt
    }
}
