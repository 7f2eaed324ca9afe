import Foundation

/// A bearer token as stored: its SHA-256 hash (never the token), kind, owner and lifetime.
public struct StoredToken: Sendable, Hashable {
    /// Access (short-lived, authorises requests) or refresh (long-lived, gets new tokens).
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Authorises requests; minutes.
        case access
        /// Exchanged for a new token pair; days; single use.
        case refresh
    }

    /// SHA-256 of the token's bytes.
    public var hash: [UInt8]
    /// Access or refresh.
    public var kind: Kind
    /// The device it was issued to.
    public var deviceId: UUID
    /// The device's owner.
    public var staffId: UUID
    /// When it was issued.
    public var issuedAt: Date
    /// The first instant it no longer works.
    public var expiresAt: Date
    /// For refresh tokens: when it was exchanged (a second exchange is reuse).
    public var usedAt: Date?
    /// When it was revoked, if it was.
    public var revokedAt: Date?

    /// Creates a token record.
    public init(
        hash: [UInt8], kind: Kind, deviceId: UUID, staffId: UUID, issuedAt: Date, expiresAt: Date,
        usedAt: Date? = nil, revokedAt: Date? = nil
    ) {
        self.hash = hash
        self.kind = kind
        self.deviceId = deviceId
        self.staffId = staffId
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.usedAt = usedAt
        self.revokedAt = revokedAt
    }

    /// Whether it works at `date`: not expired, not revoked (and, for refresh, not used).
    public func isUsable(at date: Date) -> Bool {
        revokedAt == nil && usedAt == nil && date < expiresAt
    }
}
