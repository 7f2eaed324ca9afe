import Foundation

extension PasswordHash {
    /// A strictly parsed encoded hash.
    struct Parsed {
        var parameters: ScryptParameters
        var salt: [UInt8]
        var hash: [UInt8]

        init(_ encoded: String) throws {
            // Bound the work before looking closer: real strings are about 110 characters.
            guard encoded.utf8.count <= 512, encoded.hasPrefix("$") else {
                throw Self.malformed("it must start with \"$\(PasswordHash.algorithm)$\" and be at most 512 bytes")
            }
            let fields = encoded.split(separator: "$", omittingEmptySubsequences: false)
            guard fields.count >= 2, !fields[1].isEmpty else {
                throw Self.malformed("the algorithm field is missing")
            }
            guard fields[1] == PasswordHash.algorithm else {
                throw CryptoError(
                    code: .unsupportedVersion,
                    message:
                        "password hash algorithm \"\(fields[1].prefix(32))\" is not supported (expected \(PasswordHash.algorithm)); reset the password"
                )
            }
            guard fields.count == 6 else {
                throw Self.malformed("expected 6 \"$\"-separated fields, found \(fields.count)")
            }
            guard fields[2].hasPrefix("v="), let version = Self.number(fields[2].dropFirst(2)) else {
                throw Self.malformed("the version field must look like \"v=1\"")
            }
            guard version == UInt64(PasswordHash.version) else {
                throw CryptoError(
                    code: .unsupportedVersion,
                    message:
                        "password hash format version \(version) is not supported (expected \(PasswordHash.version)); it was made by a newer build"
                )
            }
            let settings = fields[3].split(separator: ",", omittingEmptySubsequences: false)
            guard settings.count == 3,
                settings[0].hasPrefix("n="), let n = Self.number(settings[0].dropFirst(2)),
                settings[1].hasPrefix("r="), let r = Self.number(settings[1].dropFirst(2)), r <= UInt64(UInt32.max),
                settings[2].hasPrefix("p="), let p = Self.number(settings[2].dropFirst(2)), p <= UInt64(UInt32.max)
            else {
                throw Self.malformed("the parameter field must look like \"n=32768,r=8,p=1\"")
            }
            let parameters = ScryptParameters(n: n, r: UInt32(r), p: UInt32(p))
            try PasswordHash.checkLimits(parameters)
            guard let salt = Data(base64Encoded: String(fields[4])), (8...64).contains(salt.count) else {
                throw Self.malformed("the salt must be 8 to 64 bytes of base64")
            }
            guard let hash = Data(base64Encoded: String(fields[5])), (16...64).contains(hash.count) else {
                throw Self.malformed("the hash must be 16 to 64 bytes of base64")
            }
            self.parameters = parameters
            self.salt = Array(salt)
            self.hash = Array(hash)
        }

        /// A decimal number of ASCII digits only (no sign, no spaces), at most 19 digits.
        private static func number(_ text: Substring) -> UInt64? {
            guard (1...19).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return nil
            }
            return UInt64(text)
        }

        private static func malformed(_ detail: String) -> CryptoError {
            CryptoError(
                code: .malformedInput,
                message: "not a rapport password hash: \(detail); store the string PasswordHash.make returned"
            )
        }
    }
}
