import Foundation

/// How a member of staff signs in: a unique login name and a password hash
/// (RapportCrypto `PasswordHash`, never the password).
public struct StaffCredential: Sendable, Hashable, Codable {
    /// The member of staff.
    public var staffId: UUID
    /// The login name, unique case-insensitively.
    public var loginName: String
    /// The encoded scrypt hash.
    public var passwordHash: String
    /// When the password was last set.
    public var updatedAt: Date

    /// Creates a credential.
    public init(staffId: UUID, loginName: String, passwordHash: String, updatedAt: Date) {
        self.staffId = staffId
        self.loginName = loginName
        self.passwordHash = passwordHash
        self.updatedAt = updatedAt
    }
}
