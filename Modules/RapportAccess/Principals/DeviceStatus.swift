/// Whether a registered device may still be used.
public enum DeviceStatus: String, Codable, Sendable, CaseIterable, Hashable {
    /// In use; requests from it are decided by its owner's permissions.
    case active
    /// Revoked: every request from it is refused and the device is told to wipe itself.
    case revoked
}
