import COpenSSL

/// scrypt (RFC 7914), the memory-hard password-based key derivation function, via OpenSSL's
/// `EVP_KDF` "SCRYPT".
///
/// For storing staff passwords use ``PasswordHash``, which picks the salt and records the
/// parameters. Use `Scrypt` directly to turn a passphrase into a ``SymmetricKey``.
public enum Scrypt {
    /// Derives `outputByteCount` bytes from `password` and `salt`.
    ///
    /// Memory is capped at 1 GiB; OpenSSL's own 32 MiB default cap is replaced by the exact
    /// requirement of the parameters.
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` when `n` is not a power of two above 1,
    ///   `r` or `p` is 0, the memory needed exceeds 1 GiB, or `outputByteCount` is not in
    ///   1...1_048_576.
    public static func derive(
        password: [UInt8], salt: [UInt8], n: UInt64, r: UInt32, p: UInt32, outputByteCount: Int
    ) throws -> [UInt8] {
        let parameters = ScryptParameters(n: n, r: r, p: p)
        try parameters.validate()
        guard (1...(1 << 20)).contains(outputByteCount) else {
            throw CryptoError(
                code: .invalidParameter, message: "scrypt output must be 1...1048576 bytes, got \(outputByteCount)")
        }
        // validate() guarantees the figure exists; add slack for OpenSSL's bookkeeping.
        var maxmem = (parameters.memoryByteCount ?? 0) + (1 << 16)
        var nValue = n
        var rValue = r
        var pValue = p
        return try Bytes.withPointer(password) { passwordBytes, passwordCount in
            try Bytes.withPointer(salt) { saltBytes, saltCount in
                try withUnsafeMutablePointer(to: &nValue) { nPointer in
                    try withUnsafeMutablePointer(to: &rValue) { rPointer in
                        try withUnsafeMutablePointer(to: &pValue) { pPointer in
                            try withUnsafeMutablePointer(to: &maxmem) { maxmemPointer in
                                let params = [
                                    KeyDerivation.octets("pass", passwordBytes, passwordCount),
                                    KeyDerivation.octets("salt", saltBytes, saltCount),
                                    OSSL_PARAM_construct_uint64(Bytes.cString("n"), nPointer),
                                    OSSL_PARAM_construct_uint32(Bytes.cString("r"), rPointer),
                                    OSSL_PARAM_construct_uint32(Bytes.cString("p"), pPointer),
                                    OSSL_PARAM_construct_uint64(Bytes.cString("maxmem_bytes"), maxmemPointer),
                                    OSSL_PARAM_construct_end(),
                                ]
                                return try KeyDerivation.derive(
                                    "SCRYPT", outputByteCount: outputByteCount, params: params)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Derives `outputByteCount` bytes with a ``ScryptParameters`` value.
    public static func derive(
        password: [UInt8], salt: [UInt8], parameters: ScryptParameters, outputByteCount: Int
    ) throws -> [UInt8] {
        try derive(
            password: password, salt: salt, n: parameters.n, r: parameters.r, p: parameters.p,
            outputByteCount: outputByteCount)
    }
}
