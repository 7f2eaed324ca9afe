/// One-shot AES-256-GCM authenticated encryption with random 96-bit nonces and 128-bit tags.
///
/// ``seal(_:using:associatedData:)`` returns a self-contained *sealed box*:
///
/// ```
/// version (1 byte, 0x01) | nonce (12) | ciphertext (same length as plaintext) | tag (16)
/// ```
///
/// The version byte is authenticated too (it is prefixed to the associated data), so it cannot
/// be changed without ``open(_:using:associatedData:)`` failing. Random nonces are safe for up
/// to about 2^32 boxes per key; rotate keys well before that.
///
/// ```swift
/// let box = try AESGCM.seal(Array("call Mrs Li on Monday".utf8), using: key,
///                           associatedData: Array(recordID.utf8))
/// let text = try AESGCM.open(box, using: key, associatedData: Array(recordID.utf8))
/// ```
///
/// For many messages under one key (database pages), use ``AESGCMContext`` instead.
public enum AESGCM {
    /// The sealed-box format version written by this build.
    public static let boxVersion: UInt8 = 0x01
    /// Bytes a sealed box adds to its plaintext: version, nonce and tag.
    public static let boxOverhead = 1 + AESGCMContext.nonceByteCount + AESGCMContext.tagByteCount

    /// Encrypts and authenticates `plaintext` under a 32-byte `key` with a fresh random nonce.
    ///
    /// `associatedData` is authenticated but not stored in the box; pass the same bytes to
    /// ``open(_:using:associatedData:)``.
    ///
    /// - Returns: the sealed box (`boxOverhead` bytes longer than the plaintext).
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes.
    public static func seal(
        _ plaintext: some Collection<UInt8>,
        using key: SymmetricKey,
        associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        let context = try AESGCMContext(key: key)
        let count = plaintext.count
        let nonceEnd = 1 + AESGCMContext.nonceByteCount
        var box = [UInt8](repeating: 0, count: count + boxOverhead)
        try box.withUnsafeMutableBytes { out in
            out[0] = boxVersion
            let nonce = UnsafeMutableRawBufferPointer(rebasing: out[1..<nonceEnd])
            SecureRandom.fill(nonce)
            let body = UnsafeMutableRawBufferPointer(rebasing: out[nonceEnd..<(nonceEnd + count)])
            body.copyBytes(from: plaintext)
            let tag = UnsafeMutableRawBufferPointer(rebasing: out[(nonceEnd + count)...])
            try withUnsafeBytes(of: boxVersion) { version in
                try associatedData.withUnsafeBytes { ad in
                    try context.run(
                        encrypt: true, nonce: UnsafeRawBufferPointer(nonce), associatedPrefix: version,
                        associatedData: ad, input: UnsafeRawBufferPointer(body), output: body, tag: tag)
                }
            }
        }
        return box
    }

    /// Verifies and decrypts a sealed box made by ``seal(_:using:associatedData:)``.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong key, wrong associated
    ///   data, or any altered or truncated box; ``CryptoError/Code/malformedInput`` when the
    ///   box is too short to hold a version, nonce and tag; ``CryptoError/Code/unsupportedVersion``
    ///   for an unknown version byte; ``CryptoError/Code/invalidKeySize`` unless the key is
    ///   32 bytes.
    public static func open(
        _ box: [UInt8],
        using key: SymmetricKey,
        associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        let count = try plaintextCount(ofBox: box.count, firstByte: box.first)
        var plaintext = [UInt8](repeating: 0, count: count)
        try box.withUnsafeBytes { input in
            try plaintext.withUnsafeMutableBytes { output in
                try associatedData.withUnsafeBytes { ad in
                    try open(box: input, using: key, associatedData: ad, into: output)
                }
            }
        }
        return plaintext
    }

    /// Encrypts with an explicit nonce and returns ciphertext and tag separately.
    ///
    /// This exists for known-answer tests (the NIST GCM vectors, which include 8- and 60-byte
    /// IVs) and interoperability. **Never reuse a nonce with the same key**; prefer
    /// ``seal(_:using:associatedData:)``, which picks a random one.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes;
    ///   ``CryptoError/Code/invalidParameter`` for a nonce outside 1...128 bytes.
    public static func sealRaw(
        plaintext: [UInt8],
        key: SymmetricKey,
        nonce: [UInt8],
        associatedData: [UInt8] = []
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        let context = try AESGCMContext(key: key)
        var ciphertext = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: AESGCMContext.tagByteCount)
        try plaintext.withUnsafeBytes { input in
            try ciphertext.withUnsafeMutableBytes { output in
                try tag.withUnsafeMutableBytes { tagBytes in
                    try nonce.withUnsafeBytes { nonceBytes in
                        try associatedData.withUnsafeBytes { ad in
                            try context.run(
                                encrypt: true, nonce: nonceBytes,
                                associatedPrefix: UnsafeRawBufferPointer(start: nil, count: 0),
                                associatedData: ad, input: input, output: output, tag: tagBytes)
                        }
                    }
                }
            }
        }
        return (ciphertext, tag)
    }

    /// Verifies and decrypts a ciphertext and tag made with an explicit nonce.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` when anything does not match;
    ///   ``CryptoError/Code/invalidParameter`` for a tag that is not 16 bytes or a nonce outside
    ///   1...128 bytes; ``CryptoError/Code/invalidKeySize`` unless the key is 32 bytes.
    public static func openRaw(
        ciphertext: [UInt8],
        tag: [UInt8],
        key: SymmetricKey,
        nonce: [UInt8],
        associatedData: [UInt8] = []
    ) throws -> [UInt8] {
        let context = try AESGCMContext(key: key)
        var plaintext = [UInt8](repeating: 0, count: ciphertext.count)
        var tagCopy = tag
        try ciphertext.withUnsafeBytes { input in
            try plaintext.withUnsafeMutableBytes { output in
                try tagCopy.withUnsafeMutableBytes { tagBytes in
                    try nonce.withUnsafeBytes { nonceBytes in
                        try associatedData.withUnsafeBytes { ad in
                            try context.run(
                                encrypt: false, nonce: nonceBytes,
                                associatedPrefix: UnsafeRawBufferPointer(start: nil, count: 0),
                                associatedData: ad, input: input, output: output, tag: tagBytes)
                        }
                    }
                }
            }
        }
        return plaintext
    }
}
