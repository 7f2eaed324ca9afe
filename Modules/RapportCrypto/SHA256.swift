import COpenSSL

/// SHA-256 (FIPS 180-4) message digests.
public enum SHA256 {
    /// The digest length in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte SHA-256 digest of `data`.
    ///
    /// ```swift
    /// let digest = SHA256.hash(Array("abc".utf8))
    /// ```
    public static func hash(_ data: some Collection<UInt8>) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let status = Bytes.withPointer(data) { bytes, count in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(bytes, count, out.baseAddress, &length, EVP_sha256(), nil)
            }
        }
        // EVP_Digest with the built-in SHA-256 fails only when memory is exhausted.
        precondition(
            status == 1 && length == UInt32(byteCount),
            "EVP_Digest(SHA-256) failed: \(CryptoError.libcrypto("EVP_Digest"))")
        return digest
    }
}
