import COpenSSL

/// HMAC-SHA-256 message authentication codes (RFC 2104, test vectors in RFC 4231).
public enum HMACSHA256 {
    /// The code length in bytes.
    public static let byteCount = 32

    /// Returns the 32-byte HMAC-SHA-256 of `message` under `key` (any length).
    ///
    /// libcrypto fails here only when memory is exhausted, which stops the process.
    public static func authenticationCode(for message: [UInt8], key: [UInt8]) -> [UInt8] {
        key.withUnsafeBytes { code(for: message, key: $0) }
    }

    /// Returns the 32-byte HMAC-SHA-256 of `message` under `key`.
    public static func authenticationCode(for message: [UInt8], key: SymmetricKey) -> [UInt8] {
        key.withUnsafeBytes { code(for: message, key: $0) }
    }

    /// Checks a full 32-byte `code` for `message` in constant time.
    ///
    /// A truncated code is rejected (`false`); compare prefixes yourself with
    /// ``ConstantTime/equals(_:_:)`` if a protocol truncates on purpose.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: [UInt8]) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, key: key), code)
    }

    /// Checks a full 32-byte `code` for `message` in constant time.
    public static func isValid(_ code: [UInt8], for message: [UInt8], key: SymmetricKey) -> Bool {
        ConstantTime.equals(authenticationCode(for: message, key: key), code)
    }

    private static func code(for message: [UInt8], key: UnsafeRawBufferPointer) -> [UInt8] {
        precondition(key.count <= Int(Int32.max), "HMAC-SHA-256 keys are limited to 2 GiB")
        var out = [UInt8](repeating: 0, count: byteCount)
        var length: UInt32 = 0
        let result = Bytes.withPointer(key) { keyBytes, keyCount in
            Bytes.withPointer(message) { messageBytes, messageCount in
                out.withUnsafeMutableBufferPointer { buffer in
                    HMAC(
                        EVP_sha256(), keyBytes, Int32(keyCount), messageBytes, messageCount,
                        buffer.baseAddress, &length)
                }
            }
        }
        precondition(
            result != nil && length == UInt32(byteCount),
            "HMAC-SHA-256 failed: \(CryptoError.libcrypto("HMAC"))")
        return out
    }
}
