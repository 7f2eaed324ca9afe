import COpenSSL

/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// Returns `true` when `a` and `b` hold the same bytes, using `CRYPTO_memcmp`.
    ///
    /// Collections of different lengths are unequal; the length itself is not treated as
    /// secret (the time taken depends on it).
    public static func equals(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        return Bytes.withPointer(a) { pa, count in
            Bytes.withPointer(b) { pb, _ in
                CRYPTO_memcmp(pa, pb, count) == 0
            }
        }
    }
}
