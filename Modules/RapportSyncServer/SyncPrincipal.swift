import Foundation
import RapportProtocol

/// Who is syncing: a registered device of a staff member (the HTTP layer authenticates both).
public struct SyncPrincipal: Sendable, Hashable, Codable {
    /// The staff member.
    public var staffId: UUID
    /// The device; scope snapshots and cursors belong to it.
    public var deviceId: UUID

    /// Creates a principal.
    public init(staffId: UUID, deviceId: UUID) {
        self.staffId = staffId
        self.deviceId = deviceId
    }
}
