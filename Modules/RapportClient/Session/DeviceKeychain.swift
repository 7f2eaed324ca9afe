import Foundation
import RapportStore

/// Where the client keeps the one secret that never leaves the device: the key that seals the
/// session file (tokens and the cached key lease).
///
/// On iOS implement it over the Keychain (`kSecAttrAccessibleAfterFirstUnlockThisDeviceOnly`,
/// so it is not in backups); on Linux ``FileKeychain`` keeps it in a 0600 file beside the store.
public protocol DeviceKeychain: Sendable {
    /// The device key, made on first use.
    func deviceKey() throws(ClientError) -> ClientKey
    /// Destroys the device key (after a wipe or sign-out).
    func destroy()
}

/// A ``DeviceKeychain`` in a file (`device.key`, mode 0600): the Linux stand-in for a platform
/// keychain. Anyone who can read the file and the session file can read the cached lease key —
/// see `Docs/ClientGuide.md`, "Keys on the device".
public struct FileKeychain: DeviceKeychain {
    /// The key file's path.
    public let path: String

    /// A keychain in `path`.
    public init(path: String) {
        self.path = path
    }

    /// Reads the key, or makes and writes one.
    public func deviceKey() throws(ClientError) -> ClientKey {
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32, let key = try? ClientKey(bytes: data) else {
                throw ClientError(
                    .sessionMismatch, "\(path) is not a device key (\(data.count) bytes, expected 32); sign in again into an empty folder")
            }
            return key
        }
        let key = ClientKey.generate(byteCount: 32)
        do {
            try SecureFile.write(key.withUnsafeBytes { Data($0) }, to: path)
        } catch {
            throw ClientError(.local, "cannot write the device key \(path) (\(error)); check the folder is writable")
        }
        return key
    }

    /// Shreds the key file.
    public func destroy() {
        SecureFile.shred(at: path)
    }
}
