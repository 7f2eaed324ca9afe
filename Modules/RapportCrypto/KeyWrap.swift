/// Wraps (encrypts) data keys under a key-encryption key (KEK) for storage or transport.
///
/// The wrapped form is `version (1 byte, 0x01) | AES-GCM sealed box of the key bytes`; the
/// sealed box's associated data is the label `rapport.keywrap` `0x00`, the wrap version and the
/// caller's `context`, so a wrapped key cannot be opened as an ordinary sealed box, and a key
/// wrapped for one context (e.g. a device ID) cannot be unwrapped for another. A 32-byte key
/// wraps to 62 bytes.
///
/// Crypto-shredding a store means destroying its KEK (or the wrapped key): without it the data
/// key, and so the data, is unrecoverable.
///
/// ```swift
/// let wrapped = try KeyWrap.wrap(storeKey, under: deviceKEK, context: Array(deviceID.utf8))
/// let storeKey = try KeyWrap.unwrap(wrapped, under: deviceKEK, context: Array(deviceID.utf8))
/// ```
public enum KeyWrap {
    /// The wrapped-key format version written by this build.
    public static let version: UInt8 = 0x01
    private static let label: [UInt8] = Array("rapport.keywrap".utf8) + [0x00]

    /// Encrypts `dataKey` under the 32-byte `kek`, bound to `context`.
    ///
    /// - Throws: ``CryptoError/Code/invalidKeySize`` unless `kek` is 32 bytes.
    public static func wrap(_ dataKey: SymmetricKey, under kek: SymmetricKey, context: [UInt8] = []) throws -> [UInt8] {
        let box = try dataKey.withUnsafeBytes { keyBytes in
            try AESGCM.seal(keyBytes, using: kek, associatedData: associatedData(context))
        }
        return [version] + box
    }

    /// Decrypts a wrapped key made by ``wrap(_:under:context:)``; the key bytes never pass
    /// through an ordinary array.
    ///
    /// - Throws: ``CryptoError/Code/authenticationFailed`` for a wrong KEK, a different
    ///   `context` or any alteration; ``CryptoError/Code/unsupportedVersion`` for an unknown
    ///   version byte; ``CryptoError/Code/malformedInput`` when the input is too short or does
    ///   not hold a 16-, 24- or 32-byte key.
    public static func unwrap(_ wrapped: [UInt8], under kek: SymmetricKey, context: [UInt8] = []) throws -> SymmetricKey
    {
        guard let first = wrapped.first else {
            throw CryptoError(
                code: .malformedInput, message: "the wrapped key is empty; pass the bytes KeyWrap.wrap returned")
        }
        guard first == version else {
            throw CryptoError(
                code: .unsupportedVersion,
                message:
                    "wrapped key version \(first) is not supported (expected \(version)); it was made by a newer build or is corrupt"
            )
        }
        let box = wrapped.dropFirst()
        let keyCount = try AESGCM.plaintextCount(ofBox: box.count, firstByte: box.first)
        guard keyCount <= 64 else {
            throw CryptoError(
                code: .malformedInput, message: "the wrapped key holds \(keyCount) bytes, not a 16-, 24- or 32-byte key"
            )
        }
        let ad = associatedData(context)
        let storage = try SecureBytes(count: keyCount) { output in
            try box.withUnsafeBytes { boxBytes in
                try ad.withUnsafeBytes { adBytes in
                    try AESGCM.open(box: boxBytes, using: kek, associatedData: adBytes, into: output)
                }
            }
        }
        guard SymmetricKey.allowedByteCounts.contains(keyCount) else {
            throw CryptoError(
                code: .malformedInput, message: "the wrapped key holds \(keyCount) bytes, not a 16-, 24- or 32-byte key"
            )
        }
        return SymmetricKey(storage: storage)
    }

    private static func associatedData(_ context: [UInt8]) -> [UInt8] {
        label + [version] + context
    }
}
