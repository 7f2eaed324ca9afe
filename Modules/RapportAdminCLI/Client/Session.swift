import Foundation

/// What `rapport-admin login` saves: the server, who signed in, on which device, and the
/// tokens. Stored as JSON in a file only its owner can read or write (mode 0600).
public struct Session: Codable, Sendable, Hashable {
    /// The server signed in to.
    public var server: String
    /// The login name used.
    public var loginName: String
    /// The administrator's staff id.
    public var staffId: UUID
    /// The administrator's display name.
    public var staffName: String
    /// The device id this tool registered.
    public var deviceId: UUID
    /// The current access token.
    public var accessToken: String
    /// When it stops working.
    public var accessTokenExpiresAt: Date
    /// The refresh token (single use).
    public var refreshToken: String
    /// When the refresh token stops working (the session's end).
    public var refreshTokenExpiresAt: Date

    /// Creates a session.
    public init(
        server: String, loginName: String, staffId: UUID, staffName: String, deviceId: UUID, accessToken: String,
        accessTokenExpiresAt: Date, refreshToken: String, refreshTokenExpiresAt: Date
    ) {
        self.server = server
        self.loginName = loginName
        self.staffId = staffId
        self.staffName = staffName
        self.deviceId = deviceId
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
    }
}
