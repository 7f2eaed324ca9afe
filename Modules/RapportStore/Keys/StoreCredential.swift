/// Something that unlocks a store: a passcode the user types, or a key the platform keeps.
///
/// A store may carry several credentials (for example the device keychain key for everyday
/// opening and a passcode as a fallback); each wraps the same data key. On iOS the platform
/// key comes from the keychain; on Linux the app passes one in; later a server-issued lease
/// key can use the same slot type.
///
/// ```swift
/// let store = try await EncryptedStore.create(
///     at: path, credentials: [.platformKey(deviceKey), .passcode("2468 1357")])
/// ```
public enum StoreCredential: Sendable {
    /// A passcode; the key-encryption key is derived from it with scrypt.
    case passcode(String)
    /// A 32-byte key held by the platform (keychain, secure enclave wrapping, lease).
    case platformKey(ClientKey)

    /// The slot kind this credential fills.
    var slotKind: KeySlot.Kind {
        switch self {
        case .passcode: .passcode
        case .platformKey: .platformKey
        }
    }
}
