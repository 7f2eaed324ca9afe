import Foundation

/// A phone or tablet registered to one member of staff.
public struct Device: Sendable, Hashable, Codable, Identifiable {
    /// Stable identifier.
    public var id: UUID
    /// The member of staff the device belongs to.
    public var staffId: UUID
    /// Whether the device may still be used.
    public var status: DeviceStatus

    /// Creates a device record.
    public init(id: UUID, staffId: UUID, status: DeviceStatus = .active) {
        self.id = id
        self.staffId = staffId
        self.status = status
    }
}
