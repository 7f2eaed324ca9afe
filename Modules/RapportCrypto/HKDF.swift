import COpenSSL

/// HKDF (RFC 5869): derives keys from a high-entropy input key, a salt and a context label.
///
/// Use it to split one master secret into independent keys (e.g. one per store, one per
/// purpose) by varying `info`. Do not use it on passwords; use ``Scrypt`` or ``PasswordHash``.
public enum HKDF {
    /// The most bytes HKDF-SHA-256 can produce (255 × 32).
    public static let maximumOutputByteCount = 255 * 32
    /// The longest `info` accepted (OpenSSL 3 refuses much longer ones).
    public static let maximumInfoByteCount = 16 * 1024

    /// Runs HKDF-SHA-256 extract-then-expand.
    ///
    /// ```swift
    /// let pageKey = try HKDF.sha256(inputKey: master, salt: storeID,
    ///                               info: Array("rapport.page-key".utf8), outputByteCount: 32)
    /// ```
    ///
    /// An empty `salt` means the RFC's default (32 zero bytes).
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` when `outputByteCount` is not in
    ///   1...8160, `info` is longer than 16 KiB or `inputKey` is empty.
    public static func sha256(inputKey: [UInt8], salt: [UInt8], info: [UInt8], outputByteCount: Int) throws -> [UInt8] {
        guard (1...maximumOutputByteCount).contains(outputByteCount) else {
            throw CryptoError(
                code: .invalidParameter,
                message:
                    "HKDF-SHA-256 output must be 1...\(maximumOutputByteCount) bytes, got \(outputByteCount); derive several keys with different info instead"
            )
        }
        guard info.count <= maximumInfoByteCount else {
            throw CryptoError(
                code: .invalidParameter,
                message:
                    "HKDF info is \(info.count) bytes, above the \(maximumInfoByteCount)-byte limit; hash a long context first"
            )
        }
        guard !inputKey.isEmpty else {
            throw CryptoError(
                code: .invalidParameter, message: "HKDF input key is empty; pass the secret to derive from")
        }
        return try Bytes.withPointer(inputKey) { key, keyCount in
            try Bytes.withPointer(salt) { saltBytes, saltCount in
                try Bytes.withPointer(info) { infoBytes, infoCount in
                    var params = [
                        KeyDerivation.utf8("digest", "SHA256"),
                        KeyDerivation.octets("key", key, keyCount),
                    ]
                    if saltCount > 0 { params.append(KeyDerivation.octets("salt", saltBytes, saltCount)) }
                    if infoCount > 0 { params.append(KeyDerivation.octets("info", infoBytes, infoCount)) }
                    params.append(OSSL_PARAM_construct_end())
                    return try KeyDerivation.derive("HKDF", outputByteCount: outputByteCount, params: params)
                }
            }
        }
    }
}
