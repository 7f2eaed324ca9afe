import RapportProtocol

// The client library's names for the sign-in messages. The messages themselves are defined
// once, in `RapportProtocol` (`Auth/AuthWire.swift`), for the server and the client alike; these
// aliases keep the names this library has always published, so apps need not change.

/// The device that signs in: `RapportProtocol.DeviceInfo` under the client library's name.
public typealias DeviceDescription = DeviceInfo
/// `POST /v1/auth/login` body: `RapportProtocol.LoginRequest` under the client library's name.
public typealias SignInRequest = LoginRequest
/// An access and a refresh token: `RapportProtocol.TokenPair` under the client library's name.
public typealias SessionTokens = TokenPair
/// The device's key lease: `RapportProtocol.LeaseGrant` under the client library's name.
public typealias KeyLease = LeaseGrant
/// Who signed in: `RapportProtocol.SignedInStaff` under the client library's name.
public typealias SignedInUser = SignedInStaff
/// `POST /v1/auth/login` answer: `RapportProtocol.LoginResponse` under the client library's name.
public typealias SignInResponse = LoginResponse
