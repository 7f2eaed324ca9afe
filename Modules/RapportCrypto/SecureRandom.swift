import COpenSSL

/// Cryptographically secure random bytes from libcrypto's DRBG (`RAND_bytes`), seeded by the OS.
///
/// A failure of `RAND_bytes` means the operating system's entropy source is broken; carrying on
/// would produce predictable keys and nonces, so it stops the process with a precondition
/// failure instead of returning an error.
public enum SecureRandom {
    /// Returns `count` random bytes.
    ///
    /// ```swift
    /// let salt = SecureRandom.bytes(count: 16)
    /// ```
    public static func bytes(count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: count must not be negative")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Overwrites every byte of `buffer` with random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard var base = buffer.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        var remaining = buffer.count
        while remaining > 0 {
            let chunk = min(remaining, Int(Int32.max))
            let status = RAND_bytes(base, Int32(chunk))
            precondition(status == 1, "RAND_bytes failed: the OS random number generator is unavailable")
            base += chunk
            remaining -= chunk
        }
    }
}
