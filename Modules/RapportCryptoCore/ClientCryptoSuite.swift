/// Exactly the crypto the client-side modules (`RapportStore`, `RapportClient`,
/// `RapportConformance`, `RapportClientCLI`) use, so that an app can bring another
/// implementation by editing one file.
///
/// The client modules reach the one implementation through the typealias `ClientCrypto` in
/// `Modules/RapportStore/ClientCryptoBackend.swift`, which today names `RapportCrypto`'s
/// `LibCryptoClientSuite`. Because the binding is a typealias to a concrete type, every call —
/// above all the page cipher on the VFS's read and write path — is a direct call: no
/// existential, no generic context, no allocation per page. `Docs/Crypto.md` lists what a
/// CryptoKit implementation would have to provide.
///
/// Formats are fixed by the files already on devices (`Docs/Crypto.md`, "Formats"): a second
/// implementation must read and write the same sealed boxes and wrapped keys. The contract is
/// tested once, generically, in `Tests/RapportStoreTests/ClientCryptoContractTests.swift`.
public protocol ClientCryptoSuite {
    /// The key type, wiped on release.
    associatedtype Key: ClientCryptoKey
    /// The reusable AES-256-GCM context for database pages.
    associatedtype PageCipher: PageCipherContext where PageCipher.Key == Key

    /// Overwrites every byte of `buffer` with cryptographically secure random bytes. Stops the
    /// process if the system's generator fails (carrying on would mint predictable keys).
    static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer)

    /// Seals `plaintext` under a 32-byte `key` into a sealed box
    /// (`0x01 | nonce(12) | ciphertext | tag(16)`, the version byte authenticated in front of
    /// `associatedData`), with a fresh random nonce.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes.
    static func seal(_ plaintext: [UInt8], using key: Key, associatedData: [UInt8]) throws -> [UInt8]

    /// Verifies and opens a sealed box made by ``seal(_:using:associatedData:)``.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong key, other associated
    ///   data or any change; ``CryptoError/Code/malformedInput`` for a box too short to parse;
    ///   ``CryptoError/Code/unsupportedVersion`` for an unknown version byte.
    static func open(_ box: [UInt8], using key: Key, associatedData: [UInt8]) throws -> [UInt8]

    /// Wraps `key` under the 32-byte `kek`, bound to `context`
    /// (`0x01 | sealed box of the key bytes`, associated data
    /// `"rapport.keywrap" 0x00 0x01 || context`).
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless `kek` is 32 bytes.
    static func wrap(_ key: Key, under kek: Key, context: [UInt8]) throws -> [UInt8]

    /// Unwraps a key made by ``wrap(_:under:context:)``; the key bytes never pass through an
    /// ordinary array.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong `kek`, another `context`
    ///   or any change; ``CryptoError/Code/malformedInput`` or
    ///   ``CryptoError/Code/unsupportedVersion`` for input that is not a wrapped key.
    static func unwrap(_ wrapped: [UInt8], under kek: Key, context: [UInt8]) throws -> Key

    /// A 32-byte key derived from another key with HKDF-SHA-256 (RFC 5869): the key's bytes
    /// as input key material, `salt`, `info`.
    static func deriveKey(from inputKey: Key, salt: [UInt8], info: [UInt8]) throws -> Key

    /// A 32-byte key derived from a password with scrypt (RFC 7914).
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` for parameters that
    ///   ``ScryptParameters/validate(maximumMemory:)`` refuses.
    static func deriveKey(fromPassword password: [UInt8], salt: [UInt8], parameters: ScryptParameters) throws -> Key
}

extension ClientCryptoSuite {
    /// `count` cryptographically secure random bytes (salts, file ids, tokens).
    public static func randomBytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "randomBytes: count must not be negative")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fillRandom(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }
}
