import Foundation

// The sign-in messages of `POST /v1/auth/login`, `/refresh` and `/lease`, written once for both
// sides (`Docs/ClientGuide.md`, "The protocol in five minutes"; fixtures
// `Docs/fixtures/auth-*.json`). Roles and status travel as the wire's strings: this module
// cannot know the server's access policy, so the server converts (`SignedInStaff+Staff.swift`).

/// The device that signs in: a client-made stable id, a display name and a platform.
public struct DeviceInfo: Codable, Sendable, Hashable {
    /// The device's id, made by the client once and kept.
    public var id: UUID
    /// A display name for administrators, e.g. "Ana's iPhone" (1–100 characters).
    public var name: String
    /// The platform, e.g. `ios`, `android`, `cli` (1–40 characters).
    public var platform: String

    /// Creates device info; a new client makes `id` once per installation and keeps it.
    public init(id: UUID = UUID(), name: String, platform: String) {
        self.id = id
        self.name = name
        self.platform = platform
    }
}

/// `POST /v1/auth/login` body.
public struct LoginRequest: Codable, Sendable, Hashable {
    /// The staff login name.
    public var loginName: String
    /// The password.
    public var password: String
    /// The device signing in.
    public var device: DeviceInfo

    /// Creates a request.
    public init(loginName: String, password: String, device: DeviceInfo) {
        self.loginName = loginName
        self.password = password
        self.device = device
    }
}

/// A pair of bearer tokens and when each stops working.
public struct TokenPair: Codable, Sendable, Hashable {
    /// Always `Bearer`.
    public var tokenType: String
    /// Sent as `Authorization: Bearer <accessToken>`; base64url of 32 random bytes.
    public var accessToken: String
    /// When the access token stops working.
    public var accessTokenExpiresAt: Date
    /// Exchanged once at `POST /v1/auth/refresh` for a new pair.
    public var refreshToken: String
    /// When the refresh token stops working.
    public var refreshTokenExpiresAt: Date

    /// Creates a pair.
    public init(accessToken: String, accessTokenExpiresAt: Date, refreshToken: String, refreshTokenExpiresAt: Date) {
        self.tokenType = "Bearer"
        self.accessToken = accessToken
        self.accessTokenExpiresAt = accessTokenExpiresAt
        self.refreshToken = refreshToken
        self.refreshTokenExpiresAt = refreshTokenExpiresAt
    }

    private enum CodingKeys: String, CodingKey {
        case tokenType, accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt
    }

    /// Decodes a pair; a missing `tokenType` (sessions a client saved before it was sent) is
    /// `Bearer`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tokenType = try container.decodeIfPresent(String.self, forKey: .tokenType) ?? "Bearer"
        accessToken = try container.decode(String.self, forKey: .accessToken)
        accessTokenExpiresAt = try container.decode(Date.self, forKey: .accessTokenExpiresAt)
        refreshToken = try container.decode(String.self, forKey: .refreshToken)
        refreshTokenExpiresAt = try container.decode(Date.self, forKey: .refreshTokenExpiresAt)
    }
}

/// A device's key lease: the key the client mixes into its store's key hierarchy and when it
/// must be renewed by (`POST /v1/auth/lease`).
public struct LeaseGrant: Codable, Sendable, Hashable {
    /// 32 bytes, standard base64.
    public var key: String
    /// After this instant the client must not open its store until it renews.
    public var expiresAt: Date

    /// Creates a lease.
    public init(key: String, expiresAt: Date) {
        self.key = key
        self.expiresAt = expiresAt
    }
}

/// Who signed in, as the client shows it.
public struct SignedInStaff: Codable, Sendable, Hashable {
    /// Staff id.
    public var id: UUID
    /// Display name.
    public var name: String
    /// Team id.
    public var teamId: UUID
    /// Role ids as the server's policy names them, e.g. `salesRep`.
    public var roles: [String]
    /// `active` or `notice` (a suspended or departed person cannot sign in).
    public var status: String

    /// Creates a summary.
    public init(id: UUID, name: String, teamId: UUID, roles: [String], status: String) {
        self.id = id
        self.name = name
        self.teamId = teamId
        self.roles = roles
        self.status = status
    }
}

/// `POST /v1/auth/login` response.
public struct LoginResponse: Codable, Sendable, Hashable {
    /// The tokens.
    public var tokens: TokenPair
    /// The device's key lease.
    public var lease: LeaseGrant
    /// Who signed in.
    public var staff: SignedInStaff
    /// The registered device id (the one sent).
    public var deviceId: UUID

    /// Creates a response.
    public init(tokens: TokenPair, lease: LeaseGrant, staff: SignedInStaff, deviceId: UUID) {
        self.tokens = tokens
        self.lease = lease
        self.staff = staff
        self.deviceId = deviceId
    }
}

/// `POST /v1/auth/refresh` body.
public struct RefreshRequest: Codable, Sendable, Hashable {
    /// The refresh token from the last login or refresh.
    public var refreshToken: String

    /// Creates a request.
    public init(refreshToken: String) {
        self.refreshToken = refreshToken
    }
}
