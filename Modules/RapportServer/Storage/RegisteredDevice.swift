import Foundation
import RapportAccess

/// A device as the server keeps it: the policy's ``Device`` plus what the user called it, its
/// platform, when it was seen, and its key lease.
///
/// The lease key is 32 random bytes the client mixes into its store's key hierarchy; the
/// client can open its data only while it holds an unexpired lease.
public struct RegisteredDevice: Sendable, Hashable {
    /// Identity, owner and status, as the access policy sees them.
    public var device: Device
    /// A display name, e.g. "Ana's iPhone".
    public var name: String
    /// The platform, e.g. `ios`.
    public var platform: String
    /// When the device first signed in.
    public var registeredAt: Date
    /// When the device last made an authenticated request or signed in.
    public var lastSeenAt: Date
    /// The lease key (32 bytes).
    public var leaseKey: [UInt8]
    /// When the current lease ends.
    public var leaseExpiresAt: Date
    /// When the device was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a device record.
    public init(
        device: Device, name: String, platform: String, registeredAt: Date, lastSeenAt: Date, leaseKey: [UInt8],
        leaseExpiresAt: Date, revokedAt: Date? = nil
    ) {
        self.device = device
        self.name = name
        self.platform = platform
        self.registeredAt = registeredAt
        self.lastSeenAt = lastSeenAt
        self.leaseKey = leaseKey
        self.leaseExpiresAt = leaseExpiresAt
        self.revokedAt = revokedAt
    }

    /// The device id.
    public var id: UUID { device.id }
}
