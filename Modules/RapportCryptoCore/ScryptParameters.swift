/// The cost parameters of scrypt (RFC 7914): CPU/memory cost `n`, block size `r`,
/// parallelism `p`.
///
/// scrypt needs about `128 × r × n` bytes of memory and time proportional to `n × r × p`.
public struct ScryptParameters: Sendable, Codable, Equatable, Hashable {
    /// CPU/memory cost; a power of two greater than 1.
    public var n: UInt64
    /// Block size.
    public var r: UInt32
    /// Parallelism.
    public var p: UInt32

    /// Creates parameters; they are checked when used.
    public init(n: UInt64, r: UInt32, p: UInt32) {
        self.n = n
        self.r = r
        self.p = p
    }

    /// For interactive logins: n = 2^15, r = 8, p = 1 (32 MiB, roughly 0.1 s).
    public static let interactive = ScryptParameters(n: 1 << 15, r: 8, p: 1)

    /// For tests only: n = 2^10, r = 8, p = 1 (1 MiB, about a millisecond). Never for real
    /// passwords.
    public static let testing = ScryptParameters(n: 1 << 10, r: 8, p: 1)

    /// The memory scrypt allocates for these parameters, in bytes (`nil` if it overflows).
    public var memoryByteCount: UInt64? {
        // V = 128·r·(n+2) bytes, B = 128·r·p bytes (OpenSSL's accounting).
        let (nPlus, o1) = n.addingReportingOverflow(2)
        let (v, o2) = (128 * UInt64(r)).multipliedReportingOverflow(by: nPlus)
        let (b, o3) = (128 * UInt64(r)).multipliedReportingOverflow(by: UInt64(p))
        let (sum, o4) = v.addingReportingOverflow(b)
        return (o1 || o2 || o3 || o4) ? nil : sum
    }

    /// Checks RFC 7914's constraints and that memory stays within `maximumMemory` bytes.
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` describing the first violation.
    public func validate(maximumMemory: UInt64 = 1 << 30) throws {
        guard n > 1, n & (n - 1) == 0 else {
            throw CryptoError(
                code: .invalidParameter, message: "scrypt n must be a power of two greater than 1, got \(n)")
        }
        guard r >= 1, p >= 1 else {
            throw CryptoError(code: .invalidParameter, message: "scrypt r and p must be at least 1, got r=\(r), p=\(p)")
        }
        guard UInt64(r) * UInt64(p) < 1 << 30 else {
            throw CryptoError(code: .invalidParameter, message: "scrypt r·p must be below 2^30, got r=\(r), p=\(p)")
        }
        guard let memory = memoryByteCount, memory <= maximumMemory else {
            throw CryptoError(
                code: .invalidParameter,
                message: "scrypt n=\(n), r=\(r) needs more than the \(maximumMemory >> 20) MiB allowed; lower n or r"
            )
        }
    }
}
