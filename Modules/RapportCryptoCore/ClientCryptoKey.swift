/// A secret key as the client-side modules hold it: 16, 24 or 32 bytes that are wiped when the
/// last copy of the key is released.
///
/// This is all the client modules ask of a key (`Docs/Crypto.md`, "The client's crypto
/// surface"). `RapportCrypto`'s `SymmetricKey` is the libcrypto implementation; a port to
/// another library provides its own type with the same guarantees.
public protocol ClientCryptoKey: Sendable {
    /// Creates a key from 16, 24 or 32 bytes of key material.
    ///
    /// The bytes go straight into storage that is wiped on release; the caller wipes its copy.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` for any other length.
    init(bytes: some Sequence<UInt8>) throws

    /// A new key of `byteCount` (16, 24 or 32) random bytes from a cryptographically secure
    /// generator. The client modules always ask for 32.
    static func generate(byteCount: Int) -> Self

    /// The key length in bytes.
    var byteCount: Int { get }

    /// Calls `body` with read-only access to the key bytes. Do not let the pointer escape, and
    /// wipe any copy you make.
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}
