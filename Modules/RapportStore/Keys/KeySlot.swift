import Foundation
import RapportCryptoCore

/// One wrapped copy of a store's data key, as kept in the key file.
struct KeySlot: Codable, Sendable, Equatable {
    /// What unlocks the slot.
    enum Kind: String, Codable, Sendable {
        case passcode
        case platformKey
    }

    var kind: Kind
    /// The KDF salt (16 random bytes).
    var salt: Data
    /// scrypt parameters for passcode slots.
    var scrypt: ScryptParameters?
    /// The data key wrapped (`ClientCrypto.wrap`) under this slot's key-encryption key.
    var wrappedKey: Data

    /// Wraps `dataKey` for `credential`.
    static func make(
        for credential: StoreCredential, dataKey: ClientKey, fileId: [UInt8], scrypt parameters: ScryptParameters
    ) throws -> KeySlot {
        let salt = ClientCrypto.randomBytes(count: 16)
        let kek = try deriveKEK(credential, salt: salt, scrypt: parameters)
        let wrapped = try ClientCrypto.wrap(dataKey, under: kek, context: wrapContext(kind: credential.slotKind, fileId: fileId))
        return KeySlot(
            kind: credential.slotKind, salt: Data(salt),
            scrypt: credential.slotKind == .passcode ? parameters : nil, wrappedKey: Data(wrapped))
    }

    /// Unwraps the data key with `credential`; `nil` if the credential does not fit this slot.
    func unwrap(with credential: StoreCredential, fileId: [UInt8]) throws -> ClientKey? {
        guard credential.slotKind == kind else { return nil }
        let kek = try Self.deriveKEK(credential, salt: [UInt8](salt), scrypt: scrypt ?? .interactive)
        do {
            return try ClientCrypto.unwrap([UInt8](wrappedKey), under: kek, context: Self.wrapContext(kind: kind, fileId: fileId))
        } catch let error as CryptoError where error.code == .authenticationFailed {
            return nil
        }
    }

    /// The key-encryption key for a credential.
    static func deriveKEK(_ credential: StoreCredential, salt: [UInt8], scrypt parameters: ScryptParameters) throws -> ClientKey {
        switch credential {
        case .passcode(let passcode):
            var password = Array(passcode.precomposedStringWithCanonicalMapping.utf8)
            defer { wipe(&password) }
            return try ClientCrypto.deriveKey(fromPassword: password, salt: salt, parameters: parameters)
        case .platformKey(let key):
            guard key.byteCount == 32 else {
                throw StoreError(
                    code: .invalidArgument,
                    message: "a platform key must be 32 bytes, got \(key.byteCount); use ClientKey.generate(byteCount: 32)")
            }
            return try ClientCrypto.deriveKey(from: key, salt: salt, info: Array("rapport.store.kek.platform.v1".utf8))
        }
    }

    /// Binds a wrapped key to its slot kind and store file.
    static func wrapContext(kind: Kind, fileId: [UInt8]) -> [UInt8] {
        Array("rapport.store.v1/\(kind.rawValue)/".utf8) + fileId
    }
}

/// Overwrites a byte array holding secret material.
func wipe(_ bytes: inout [UInt8]) {
    bytes.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return }
        // memset_s is not on Linux; a volatile-like loop through the raw pointer.
        for index in 0..<buffer.count {
            (base + index).storeBytes(of: 0, as: UInt8.self)
        }
    }
}
