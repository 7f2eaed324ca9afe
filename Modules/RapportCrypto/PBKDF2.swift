import COpenSSL

/// PBKDF2-HMAC-SHA-256 (RFC 8018), for interoperability with systems that mandate it.
///
/// For new password storage prefer ``PasswordHash`` (scrypt), which is memory-hard. OWASP's
/// 2023 guidance for PBKDF2-HMAC-SHA-256 is at least 600,000 iterations.
public enum PBKDF2 {
    /// Derives `outputByteCount` bytes from `password` and `salt` with `iterations` rounds.
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` when `iterations` or `outputByteCount`
    ///   is below 1 or above `Int32.max`, or an input exceeds 2 GiB.
    public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, outputByteCount: Int) throws -> [UInt8]
    {
        let limit = Int(Int32.max)
        guard (1...limit).contains(iterations) else {
            throw CryptoError(
                code: .invalidParameter,
                message: "PBKDF2 iterations must be at least 1, got \(iterations); use 600000 or more for passwords")
        }
        guard (1...limit).contains(outputByteCount) else {
            throw CryptoError(
                code: .invalidParameter, message: "PBKDF2 output must be at least 1 byte, got \(outputByteCount)")
        }
        guard password.count <= limit, salt.count <= limit else {
            throw CryptoError(code: .invalidParameter, message: "PBKDF2 password and salt are limited to 2 GiB")
        }
        var output = [UInt8](repeating: 0, count: outputByteCount)
        let status = Bytes.withPointer(password) { passwordBytes, passwordCount in
            Bytes.withPointer(salt) { saltBytes, saltCount in
                output.withUnsafeMutableBufferPointer { out in
                    UnsafeRawPointer(passwordBytes).withMemoryRebound(to: CChar.self, capacity: max(passwordCount, 1)) {
                        chars in
                        PKCS5_PBKDF2_HMAC(
                            chars, Int32(passwordCount), saltBytes, Int32(saltCount), Int32(iterations),
                            EVP_sha256(), Int32(outputByteCount), out.baseAddress)
                    }
                }
            }
        }
        guard status == 1 else {
            throw CryptoError.libcrypto("PKCS5_PBKDF2_HMAC")
        }
        return output
    }
}
