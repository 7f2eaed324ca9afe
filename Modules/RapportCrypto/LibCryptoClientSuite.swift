// The crypto surface of the client-side modules (RapportCryptoCore) is defined apart from this
// implementation, so a port needs only RapportCryptoCore; RapportCrypto's users keep seeing
// CryptoError and ScryptParameters through this module.
@_exported import RapportCryptoCore

/// The libcrypto implementation of ``ClientCryptoSuite``: what the client-side modules use,
/// through the `ClientCrypto` typealias in `Modules/RapportStore/ClientCryptoBackend.swift`.
///
/// Keys are ``SymmetricKey`` (wiped with `OPENSSL_cleanse`), the page cipher is
/// ``AESGCMContext`` (one `EVP_CIPHER_CTX` per context, nothing allocated per page), boxes and
/// wrapped keys are ``AESGCM`` and ``KeyWrap``, the KDFs ``HKDF`` and ``Scrypt``.
public enum LibCryptoClientSuite: ClientCryptoSuite {
    public typealias Key = SymmetricKey
    public typealias PageCipher = AESGCMContext

    /// `RAND_bytes` (``SecureRandom/fill(_:)``).
    public static func fillRandom(_ buffer: UnsafeMutableRawBufferPointer) {
        SecureRandom.fill(buffer)
    }

    /// ``AESGCM/seal(_:using:associatedData:)``.
    public static func seal(_ plaintext: [UInt8], using key: SymmetricKey, associatedData: [UInt8]) throws -> [UInt8] {
        try AESGCM.seal(plaintext, using: key, associatedData: associatedData)
    }

    /// ``AESGCM/open(_:using:associatedData:)``.
    public static func open(_ box: [UInt8], using key: SymmetricKey, associatedData: [UInt8]) throws -> [UInt8] {
        try AESGCM.open(box, using: key, associatedData: associatedData)
    }

    /// ``KeyWrap/wrap(_:under:context:)``.
    public static func wrap(_ key: SymmetricKey, under kek: SymmetricKey, context: [UInt8]) throws -> [UInt8] {
        try KeyWrap.wrap(key, under: kek, context: context)
    }

    /// ``KeyWrap/unwrap(_:under:context:)``.
    public static func unwrap(_ wrapped: [UInt8], under kek: SymmetricKey, context: [UInt8]) throws -> SymmetricKey {
        try KeyWrap.unwrap(wrapped, under: kek, context: context)
    }

    /// ``HKDF/sha256(inputKey:salt:info:outputByteCount:)`` over the key's bytes, 32 bytes out;
    /// the intermediate copies are wiped.
    public static func deriveKey(from inputKey: SymmetricKey, salt: [UInt8], info: [UInt8]) throws -> SymmetricKey {
        var input = inputKey.withUnsafeBytes { [UInt8]($0) }
        defer { SecureBytes.wipe(&input) }
        var derived = try HKDF.sha256(inputKey: input, salt: salt, info: info, outputByteCount: 32)
        defer { SecureBytes.wipe(&derived) }
        return try SymmetricKey(bytes: derived)
    }

    /// ``Scrypt/derive(password:salt:parameters:outputByteCount:)``, 32 bytes out; the
    /// intermediate copy is wiped.
    public static func deriveKey(
        fromPassword password: [UInt8], salt: [UInt8], parameters: ScryptParameters
    ) throws -> SymmetricKey {
        var derived = try Scrypt.derive(password: password, salt: salt, parameters: parameters, outputByteCount: 32)
        defer { SecureBytes.wipe(&derived) }
        return try SymmetricKey(bytes: derived)
    }
}

extension SymmetricKey: ClientCryptoKey {}

extension AESGCMContext: PageCipherContext {}
