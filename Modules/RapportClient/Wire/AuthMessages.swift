import Foundation

/// The device that signs in (`POST /v1/auth/login`, `device`).
public struct DeviceDescription: Codable, Sendable, Hashable {
    /// A stable id the client makes once per installation.
    public var id: UUID
    /// A name administrators see, e.g. "Ana's iPhone" (1–100 characters).
    public var name: String
    /// The platform, e.g. `ios`, `android`, `cli` (1–40 characters).
    public var platform: String

    /// Creates a description.
    public init(id: UUID = UUID(), name: String, platform: String) {
        self.id = id
        self.name = name
        self.platform = platform
    }
}

/// `POST /v1/auth/login` body ([`auth-login-request.json`](../../Docs/fixtures/auth-login-request.json)).
public struct SignInRequest: Codable, Sendable, Hashable {
    /// The staff login name.
    public var loginName: String
    /// The password.
    public var password: String
    /// The device.
    public var device: DeviceDescription

    /// Creates a request.
    public init(loginName: String, password: String, device: DeviceDescription) {
        self.loginName = loginName
        self.password = password
        self.device = device
    }
}

/// An access and a refresh token and when each stops working (`POST /v1/auth/refresh` answer).
public struct SessionTokens: Codable, Sendable, Hashable {
    /// `Authorization: Bearer <accessToken>`; lives minutes.
    public var accessToken: String
    /// When the access token stops working.
    public var accessTokenExpiresAt: Date
    /// Exchanged once for a new pair; lives days.
    public var refreshToken: String
    /// When the refresh token stops working.
    public var refreshTokenExpiresAt: Date

    /// Creates tokens.
    public init(accessToken: String, accessTokenExpiresAt: Date, refreshToken: String, refreshTokenExpiresAt: Date) {
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
    }
}

/// The device's key lease (`POST /v1/auth/lease` answer): the key that unlocks the local store
/// and the instant after which the client must not open the store until it renews.
public struct KeyLease: Codable, Sendable, Hashable {
    /// 32 bytes, standard base64.
    public var key: String
    /// The lease's end.
    public var expiresAt: Date

    /// Creates a lease.
    public init(key: String, expiresAt: Date) {
        self.key = key
        self.expiresAt = expiresAt
    }
}

/// Who signed in.
public struct SignedInUser: Codable, Sendable, Hashable {
    /// Staff id.
    public var id: UUID
    /// Display name.
    public var name: String
    /// Team id.
    public var teamId: UUID
    /// Role ids, e.g. `salesRep`.
    public var roles: [String]
    /// `active` or `notice`.
    public var status: String

    /// Creates a user.
    public init(id: UUID, name: String, teamId: UUID, roles: [String], status: String) {
        self.id = id
        self.name = name
        self.teamId = teamId
        self.roles = roles
        self.status = status
    }
}

/// `POST /v1/auth/login` answer ([`auth-login-response.json`](../../Docs/fixtures/auth-login-response.json)).
public struct SignInResponse: Codable, Sendable, Hashable {
    /// The tokens.
    public var tokens: SessionTokens
    /// The key lease.
    public var lease: KeyLease
    /// Who signed in.
    public var staff: SignedInUser
    /// The registered device id.
    public var deviceId: UUID
}
