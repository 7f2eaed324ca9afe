// The one file that names the crypto implementation of the client side (issue 19).
//
// Every client-side module (RapportStore, RapportSyncClient, RapportClient, RapportConformance,
// RapportClientCLI) reaches crypto only through `ClientCrypto` and `ClientKey` below, and only
// through the members of `ClientCryptoSuite`, `ClientCryptoKey` and `PageCipherContext`
// (RapportCryptoCore). To swap the implementation (e.g. CryptoKit on iOS, `Docs/Crypto.md`,
// "Swapping the implementation"): replace the import and the typealias here, and RapportStore's
// `RapportCrypto` dependency in Package.swift. `Tests/RapportClientTests/ImportGraphTests.swift`
// checks that no other client-side file imports RapportCrypto or names its types.
//
// The re-export makes the implementation's members visible to the client modules without any
// of their files importing it.
@_exported import RapportCrypto

/// The crypto implementation the client-side modules use: libcrypto, through `RapportCrypto`.
///
/// A typealias to a concrete type, so every call is a direct call (the page cipher on the
/// VFS's read/write path goes through no existential and allocates nothing per page).
public typealias ClientCrypto = LibCryptoClientSuite

/// The key type of ``ClientCrypto``: a secret key that wipes its bytes when released.
///
/// ```swift
/// let key = ClientKey.generate(byteCount: 32)
/// let store = try await EncryptedStore.create(at: path, credentials: [.platformKey(key)])
/// ```
public typealias ClientKey = ClientCrypto.Key
