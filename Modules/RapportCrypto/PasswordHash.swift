import Foundation

/// Self-describing scrypt password hashes for staff accounts.
///
/// The encoded form records algorithm, format version, parameters, salt and hash:
///
/// ```
/// $rapport-scrypt$v=1$n=32768,r=8,p=1$<salt, base64>$<hash, base64>
/// ```
///
/// Salts are 16 random bytes, hashes 32 bytes, base64 with padding. Passwords are normalised
/// to Unicode NFC before hashing, so the same visible password typed on different keyboards
/// verifies. Parameters read from a stored string are capped (see ``verificationLimits``) so a
/// hostile or corrupt string cannot make ``verify(password:against:)`` allocate gigabytes.
///
/// ```swift
/// let stored = try PasswordHash.make(password: "correct horse")
/// try PasswordHash.verify(password: attempt, against: stored)          // true or false
/// if PasswordHash.needsRehash(stored, target: .interactive) { /* re-make on next login */ }
/// ```
public enum PasswordHash {
    /// The algorithm identifier in the encoded string.
    public static let algorithm = "rapport-scrypt"
    /// The format version written by this build.
    public static let version = 1
    /// Salt length written by ``make(password:parameters:)``.
    public static let saltByteCount = 16
    /// Hash length written by ``make(password:parameters:)``.
    public static let hashByteCount = 32

    /// The largest parameters ``verify(password:against:)`` accepts from a stored string:
    /// n ≤ 2^20, r ≤ 32, p ≤ 16, memory ≤ 256 MiB and n·r·p ≤ 2^22 (16 × `.interactive`).
    public static let verificationLimits = (
        maximumN: UInt64(1) << 20, maximumR: UInt32(32), maximumP: UInt32(16),
        maximumMemory: UInt64(256) << 20, maximumWork: UInt64(1) << 22
    )

    /// Hashes `password` with a fresh random salt and returns the encoded string.
    ///
    /// - Throws: ``CryptoError/Code/invalidParameter`` when `parameters` are invalid or exceed
    ///   ``verificationLimits`` (a hash that could never be verified).
    public static func make(password: String, parameters: ScryptParameters = .interactive) throws -> String {
        try checkLimits(parameters)
        let salt = SecureRandom.bytes(count: saltByteCount)
        let hash = try Scrypt.derive(
            password: normalized(password), salt: salt, parameters: parameters, outputByteCount: hashByteCount)
        return encode(parameters: parameters, salt: salt, hash: hash)
    }

    /// Checks `password` against an encoded hash in constant time.
    ///
    /// - Returns: whether the password matches.
    /// - Throws: ``CryptoError/Code/malformedInput`` for a string that is not a rapport password
    ///   hash; ``CryptoError/Code/unsupportedVersion`` for another algorithm or a newer format
    ///   version; ``CryptoError/Code/invalidParameter`` for parameters beyond
    ///   ``verificationLimits``.
    public static func verify(password: String, against encoded: String) throws -> Bool {
        let parsed = try Parsed(encoded)
        let candidate = try Scrypt.derive(
            password: normalized(password), salt: parsed.salt, parameters: parsed.parameters,
            outputByteCount: parsed.hash.count)
        return ConstantTime.equals(candidate, parsed.hash)
    }

    /// Whether `encoded` should be replaced by a fresh hash with `target` parameters (at the
    /// next successful login): `true` when its parameters differ from `target` or it cannot be
    /// parsed.
    public static func needsRehash(_ encoded: String, target: ScryptParameters) -> Bool {
        guard let parsed = try? Parsed(encoded) else { return true }
        return parsed.parameters != target || parsed.salt.count < saltByteCount || parsed.hash.count != hashByteCount
    }

    /// The parameters recorded in an encoded hash.
    ///
    /// - Throws: the same errors as ``verify(password:against:)``.
    public static func parameters(of encoded: String) throws -> ScryptParameters {
        try Parsed(encoded).parameters
    }

    static func normalized(_ password: String) -> [UInt8] {
        Array(password.precomposedStringWithCanonicalMapping.utf8)
    }

    static func checkLimits(_ parameters: ScryptParameters) throws {
        let limits = verificationLimits
        try parameters.validate(maximumMemory: limits.maximumMemory)
        let work = parameters.n.multipliedReportingOverflow(by: UInt64(parameters.r) * UInt64(parameters.p))
        guard parameters.n <= limits.maximumN, parameters.r <= limits.maximumR, parameters.p <= limits.maximumP,
            !work.overflow, work.partialValue <= limits.maximumWork
        else {
            throw CryptoError(
                code: .invalidParameter,
                message:
                    "scrypt parameters n=\(parameters.n), r=\(parameters.r), p=\(parameters.p) exceed the limits (n ≤ 2^20, r ≤ 32, p ≤ 16, n·r·p ≤ 2^22); use .interactive"
            )
        }
    }

    static func encode(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) -> String {
        "$\(algorithm)$v=\(version)$n=\(parameters.n),r=\(parameters.r),p=\(parameters.p)$"
            + "\(Data(salt).base64EncodedString())$\(Data(hash).base64EncodedString())"
    }
}
