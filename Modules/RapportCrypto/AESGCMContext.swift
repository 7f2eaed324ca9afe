import COpenSSL

/// A reusable AES-256-GCM cipher with its key set once — the hot path for encrypting database
/// pages.
///
/// The context holds one `EVP_CIPHER_CTX`; each call only sets the nonce, so sealing or opening
/// a page allocates nothing. It is **not** thread-safe and not `Sendable`: give each thread or
/// connection its own context.
///
/// Every call needs a **fresh 12-byte nonce** for the key; reusing a nonce with the same key
/// destroys GCM's confidentiality and integrity. The tag is always 16 bytes.
///
/// ```swift
/// let context = try AESGCMContext(key: pageKey)
/// try context.seal(nonce: nonce, associatedData: pageNumberBytes,
///                  plaintext: page, ciphertext: page, tag: tag)   // in place
/// ```
public final class AESGCMContext {
    /// The nonce length in bytes (96 bits).
    public static let nonceByteCount = 12
    /// The authentication tag length in bytes (128 bits).
    public static let tagByteCount = 16
    /// The key length in bytes (256 bits).
    public static let keyByteCount = 32

    private let context: OpaquePointer
    /// The nonce length the libcrypto context is currently set to.
    private var nonceLength: Int = 12

    /// Creates a context keyed with a 32-byte `key`.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes.
    public init(key: SymmetricKey) throws {
        guard key.byteCount == Self.keyByteCount else {
            throw CryptoError(
                code: .invalidKeySize,
                message:
                    "AES-256-GCM needs a 32-byte key, got \(key.byteCount) bytes; use SymmetricKey.generate() or derive 32 bytes"
            )
        }
        guard let context = EVP_CIPHER_CTX_new() else {
            throw CryptoError.libcrypto("EVP_CIPHER_CTX_new")
        }
        let status = key.withUnsafeBytes { keyBytes in
            EVP_CipherInit_ex2(
                context, EVP_aes_256_gcm(),
                keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self), nil, 1, nil)
        }
        guard status == 1 else {
            EVP_CIPHER_CTX_free(context)
            throw CryptoError.libcrypto("EVP_CipherInit_ex2 (AES-256-GCM key setup)")
        }
        self.context = context
    }

    deinit {
        // EVP_CIPHER_CTX_free cleanses the key schedule.
        EVP_CIPHER_CTX_free(context)
    }

    /// Encrypts `plaintext` into `ciphertext` and writes the 16-byte tag into `tag`.
    ///
    /// `ciphertext` must have the same length as `plaintext`; it may be the very same memory
    /// (in-place encryption) but must not otherwise overlap it. `associatedData` is
    /// authenticated but not encrypted (e.g. the page number).
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` for wrong buffer sizes.
    public func seal(
        nonce: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        plaintext: UnsafeRawBufferPointer,
        ciphertext: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws {
        try Self.checkNonce(nonce)
        try run(
            encrypt: true, nonce: nonce, associatedPrefix: UnsafeRawBufferPointer(start: nil, count: 0),
            associatedData: associatedData, input: plaintext, output: ciphertext, tag: tag)
    }

    /// Decrypts and verifies `ciphertext` with its `tag` into `plaintext`.
    ///
    /// `plaintext` must have the same length as `ciphertext`; it may be the very same memory.
    /// If verification fails, `plaintext` is zeroed (so in-place the ciphertext is lost) and
    /// nothing unauthenticated is left behind.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong key or any change to
    ///   nonce, associated data, ciphertext or tag; ``CryptoError/Code/invalidParameter`` for
    ///   wrong buffer sizes.
    public func open(
        nonce: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        ciphertext: UnsafeRawBufferPointer,
        tag: UnsafeRawBufferPointer,
        plaintext: UnsafeMutableRawBufferPointer
    ) throws {
        try Self.checkNonce(nonce)
        try run(
            encrypt: false, nonce: nonce, associatedPrefix: UnsafeRawBufferPointer(start: nil, count: 0),
            associatedData: associatedData, input: ciphertext, output: plaintext,
            tag: UnsafeMutableRawBufferPointer(mutating: tag))
    }

    private static func checkNonce(_ nonce: UnsafeRawBufferPointer) throws {
        guard nonce.count == nonceByteCount else {
            throw CryptoError(
                code: .invalidParameter,
                message:
                    "AES-GCM nonce must be \(nonceByteCount) bytes, got \(nonce.count); pass a fresh random 12-byte nonce"
            )
        }
    }

    /// The one code path for sealing and opening.
    ///
    /// The authenticated data is `associatedPrefix || associatedData` (the sealed-box format
    /// binds its version byte this way). Nonces of 1...128 bytes are accepted here so the raw
    /// API can run the NIST vectors; the public context API insists on 12. When decrypting,
    /// `tag` is only read.
    func run(
        encrypt: Bool,
        nonce: UnsafeRawBufferPointer,
        associatedPrefix: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        input: UnsafeRawBufferPointer,
        output: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) throws {
        guard output.count == input.count else {
            throw CryptoError(
                code: .invalidParameter,
                message:
                    "AES-GCM output buffer must be as long as the input (\(input.count) bytes), got \(output.count)"
            )
        }
        guard tag.count == Self.tagByteCount else {
            throw CryptoError(
                code: .invalidParameter,
                message: "AES-GCM tag must be \(Self.tagByteCount) bytes, got \(tag.count)"
            )
        }
        guard (1...128).contains(nonce.count) else {
            throw CryptoError(
                code: .invalidParameter, message: "AES-GCM nonce must be 1...128 bytes, got \(nonce.count)")
        }
        let limit = Int(Int32.max)
        guard input.count <= limit, associatedData.count <= limit, associatedPrefix.count <= limit else {
            throw CryptoError(
                code: .invalidParameter,
                message: "AES-GCM inputs are limited to 2 GiB per call; split the data into smaller messages"
            )
        }
        if input.count > 0, let i = input.baseAddress, let o = output.baseAddress, i != UnsafeRawPointer(o) {
            let overlaps = i < UnsafeRawPointer(o) + output.count && UnsafeRawPointer(o) < i + input.count
            guard !overlaps else {
                throw CryptoError(
                    code: .invalidParameter,
                    message: "AES-GCM input and output must be the same memory or not overlap at all"
                )
            }
        }

        let succeeded = process(
            encrypt: encrypt, nonce: nonce, associatedPrefix: associatedPrefix,
            associatedData: associatedData, input: input, output: output, tag: tag)
        guard succeeded else {
            if output.count > 0 {
                OPENSSL_cleanse(output.baseAddress, output.count)
            }
            if encrypt {
                OPENSSL_cleanse(tag.baseAddress, tag.count)
                throw CryptoError.libcrypto("AES-256-GCM encryption")
            }
            CryptoError.clearLibcryptoErrors()
            throw CryptoError(
                code: .authenticationFailed,
                message:
                    "AES-GCM authentication failed: wrong key, or the data, nonce, tag or associated data was altered; do not use this data"
            )
        }
    }

    /// Runs libcrypto; returns `false` on any failure, including a tag mismatch.
    private func process(
        encrypt: Bool,
        nonce: UnsafeRawBufferPointer,
        associatedPrefix: UnsafeRawBufferPointer,
        associatedData: UnsafeRawBufferPointer,
        input: UnsafeRawBufferPointer,
        output: UnsafeMutableRawBufferPointer,
        tag: UnsafeMutableRawBufferPointer
    ) -> Bool {
        if nonce.count != nonceLength {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, Int32(nonce.count), nil) == 1 else {
                return false
            }
            nonceLength = nonce.count
        }
        let iv = nonce.baseAddress?.assumingMemoryBound(to: UInt8.self)
        guard EVP_CipherInit_ex2(context, nil, nil, iv, encrypt ? 1 : 0, nil) == 1 else { return false }

        var written: Int32 = 0
        // Two separate updates (no array of parts: this path must not allocate).
        if associatedPrefix.count > 0 {
            let bytes = associatedPrefix.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard EVP_CipherUpdate(context, nil, &written, bytes, Int32(associatedPrefix.count)) == 1 else {
                return false
            }
        }
        if associatedData.count > 0 {
            let bytes = associatedData.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard EVP_CipherUpdate(context, nil, &written, bytes, Int32(associatedData.count)) == 1 else {
                return false
            }
        }
        if input.count > 0 {
            guard
                EVP_CipherUpdate(
                    context,
                    output.baseAddress?.assumingMemoryBound(to: UInt8.self), &written,
                    input.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(input.count)) == 1,
                Int(written) == input.count
            else { return false }
        }
        if encrypt {
            var finalBytes: Int32 = 0
            var scratch: UInt8 = 0
            guard EVP_CipherFinal_ex(context, &scratch, &finalBytes) == 1, finalBytes == 0 else { return false }
            return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, Int32(tag.count), tag.baseAddress) == 1
        } else {
            guard EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_TAG, Int32(tag.count), tag.baseAddress) == 1 else {
                return false
            }
            var finalBytes: Int32 = 0
            var scratch: UInt8 = 0
            return EVP_CipherFinal_ex(context, &scratch, &finalBytes) == 1 && finalBytes == 0
        }
    }
}

/// An `AESGCMContext` wraps a mutable libcrypto context: one per thread or connection.
@available(*, unavailable)
extension AESGCMContext: Sendable {}
