import COpenSSL

extension CryptoError {
    /// Drains libcrypto's per-thread error queue into a `.libcrypto` error.
    static func libcrypto(_ operation: String) -> CryptoError {
        var details: [String] = []
        while true {
            let packed = ERR_get_error()
            if packed == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(packed, &buffer, buffer.count)
            let end = buffer.firstIndex(of: 0) ?? buffer.count
            details.append(String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let suffix = details.isEmpty ? "" : " (\(details.joined(separator: "; ")))"
        return CryptoError(
            code: .libcrypto,
            message:
                "libcrypto failed in \(operation)\(suffix); check input sizes and parameters, retry, and report it if it persists"
        )
    }

    /// Clears libcrypto's per-thread error queue after an expected failure (e.g. a bad tag).
    static func clearLibcryptoErrors() {
        ERR_clear_error()
    }
}
