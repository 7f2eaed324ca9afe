import RapportProtocol

// The client library's names for the sign-in messages. The messages themselves are defined
// once, in `RapportProtocol` (`Auth/AuthWire.swift`), for the server and the client alike; these
// aliases keep the names this library has always published, so apps need not change.

/// The device that signs in: ``DeviceInfo`` under the client library's name.
public typealias DeviceDescription = DeviceInfo
/// `POST /v1/auth/login` body: ``LoginRequest`` under the client library's name.
public typealias SignInRequest = LoginRequest
/// An access and a refresh token: ``TokenPair`` under the client library's name.
public typealias SessionTokens = TokenPair
/// The device's key lease: ``LeaseGrant`` under the client library's name.
public typealias KeyLease = LeaseGrant
/// Who signed in: ``SignedInStaff`` under the client library's name.
public typealias SignedInUser = SignedInStaff
/// `POST /v1/auth/login` answer: ``LoginResponse`` under the client library's name.
public typealias SignInResponse = LoginResponse
