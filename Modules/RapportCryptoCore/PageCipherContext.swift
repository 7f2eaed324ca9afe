/// AES-256-GCM keyed once and then used for many messages: the encrypting VFS's page cipher.
///
/// Every call works on buffers the caller owns (the page in SQLite's buffer, the handle's
/// scratch), so an implementation must not allocate per call: key schedule and library
/// context are set up in ``init(key:)`` and reused. Nonces are 12 bytes, tags 16; the caller
/// supplies a fresh nonce per message under one key. A context is used by one thread at a
/// time and need not be `Sendable`.
///
/// The on-disk page format (`Docs/Store.md`) is plain AES-256-GCM, so any implementation must
/// give the same bytes as the NIST GCM vectors for 12-byte nonces.
public protocol PageCipherContext: AnyObject {
    /// The key type the context is made from.
    associatedtype Key: ClientCryptoKey

    /// Creates a context for a 32-byte key.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes.
    init(key: Key) throws

    /// Encrypts `plaintext` into `ciphertext` (same length; the same memory for in-place
    /// encryption, otherwise not overlapping) and writes the 16-byte tag into `tag`.
    /// `associatedData` is authenticated, not encrypted.
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` for a nonce that is not 12 bytes, a tag
    ///   that is not 16, or output and input of different lengths.
    func seal(
        nonce: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        plaintext: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws

    /// Verifies `tag` and decrypts `ciphertext` into `plaintext` (same length; may be the same
    /// memory). On failure `plaintext` is zeroed: nothing unauthenticated is left behind.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong key or any change to
    ///   nonce, associated data, ciphertext or tag; ``CryptoError/Code/invalidParameter`` for
    ///   wrong buffer sizes.
    func open(
        nonce: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        ciphertext: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        plaintext: UnsafeMutableRawBufferPointer
    ) throws
}
