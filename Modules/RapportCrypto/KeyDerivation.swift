import COpenSSL

/// Internal driver for OpenSSL 3's `EVP_KDF` API, shared by ``HKDF`` and ``Scrypt``.
enum KeyDerivation {
    /// Runs the named KDF with `params` (terminated by `OSSL_PARAM_construct_end()`) and
    /// returns `outputByteCount` bytes.
    ///
    /// Every pointer inside `params` must stay valid for the duration of this call: the keys
    /// come from `StaticString`s and the values from buffers the caller holds open.
    static func derive(_ name: StaticString, outputByteCount: Int, params: [OSSL_PARAM]) throws -> [UInt8] {
        guard let kdf = EVP_KDF_fetch(nil, Bytes.cString(name), nil) else {
            throw CryptoError.libcrypto("EVP_KDF_fetch(\(name))")
        }
        defer { EVP_KDF_free(kdf) }
        guard let context = EVP_KDF_CTX_new(kdf) else {
            throw CryptoError.libcrypto("EVP_KDF_CTX_new(\(name))")
        }
        defer { EVP_KDF_CTX_free(context) }
        var output = [UInt8](repeating: 0, count: outputByteCount)
        let status = params.withUnsafeBufferPointer { parameters in
            output.withUnsafeMutableBufferPointer { out in
                EVP_KDF_derive(context, out.baseAddress, out.count, parameters.baseAddress)
            }
        }
        guard status == 1 else {
            throw CryptoError.libcrypto("EVP_KDF_derive(\(name))")
        }
        return output
    }

    /// An octet-string parameter pointing at `bytes` (not copied; keep `bytes` alive).
    static func octets(_ key: StaticString, _ bytes: UnsafePointer<UInt8>, _ count: Int) -> OSSL_PARAM {
        OSSL_PARAM_construct_octet_string(Bytes.cString(key), UnsafeMutableRawPointer(mutating: bytes), count)
    }

    /// A UTF-8 string parameter whose value is a static string.
    static func utf8(_ key: StaticString, _ value: StaticString) -> OSSL_PARAM {
        OSSL_PARAM_construct_utf8_string(Bytes.cString(key), Bytes.cString(value), 0)
    }
}
