import Foundation
import RapportCryptoCore

/// The store's key file, `<database>.keys`: wrapped data keys, KDF parameters, file id.
///
/// It is JSON so that it is versioned and readable by tools; it never holds a key in the
/// clear. Every replacement is atomic (write a temporary file, fsync, rename) and the old
/// content is then overwritten through a still-open descriptor, so a wrapped key that was
/// replaced (old passcode, old data key) does not stay readable on disk.
struct KeyFile: Codable, Sendable, Equatable {
    static let formatName = "rapport.store.keys"
    static let currentVersion = 1
    static let cipherName = "aes-256-gcm/page-4096/reserve-32"

    var format: String
    var version: Int
    var cipher: String
    var pageSize: Int
    /// The random 16-byte id of the database file, kept in clear at the start of page 1 too.
    var fileId: Data
    var slots: [KeySlot]

    init(fileId: [UInt8], slots: [KeySlot]) {
        format = Self.formatName
        version = Self.currentVersion
        cipher = Self.cipherName
        pageSize = PageLayout.pageSize
        self.fileId = Data(fileId)
        self.slots = slots
    }

    /// A new key file for `dataKey`, with one slot per credential.
    static func make(
        dataKey: ClientKey, fileId: [UInt8], credentials: [StoreCredential], scrypt: ScryptParameters
    ) throws -> KeyFile {
        guard !credentials.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "a store needs at least one credential; pass a passcode or a platform key")
        }
        for case .passcode(let passcode) in credentials where passcode.isEmpty {
            throw StoreError(code: .invalidArgument, message: "the passcode is empty; ask the user for one")
        }
        let slots = try credentials.map {
            try KeySlot.make(for: $0, dataKey: dataKey, fileId: fileId, scrypt: scrypt)
        }
        return KeyFile(fileId: fileId, slots: slots)
    }

    /// Unwraps the data key with any slot `credential` fits.
    ///
    /// - Throws: ``StoreError/Code/wrongKey`` when no slot opens.
    func unlock(with credential: StoreCredential) throws -> ClientKey {
        let id = [UInt8](fileId)
        for slot in slots {
            if let key = try slot.unwrap(with: credential, fileId: id) {
                return key
            }
        }
        let what = credential.slotKind == .passcode ? "passcode" : "platform key"
        if !slots.contains(where: { $0.kind == credential.slotKind }) {
            throw StoreError(code: .wrongKey, message: "this store has no \(what) credential; open it with one of its other credentials")
        }
        throw StoreError(code: .wrongKey, message: "the \(what) does not unlock this store; check it and try again")
    }

    /// The page key the VFS uses, derived from the data key and bound to the file id.
    static func pageKey(dataKey: ClientKey, fileId: [UInt8]) throws -> ClientKey {
        try ClientCrypto.deriveKey(from: dataKey, salt: fileId, info: Array("rapport.store.page.v1".utf8))
    }

    // MARK: - Files

    /// Reads and checks a key file.
    static func read(at path: String) throws -> KeyFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError(code: .notARapportStore, message: "no key file at \(path); this is not an encrypted Rapport store, or its key file was removed")
        }
        let file: KeyFile
        do {
            file = try JSONDecoder().decode(KeyFile.self, from: data)
        } catch {
            throw StoreError(code: .notARapportStore, message: "\(path) is not a Rapport key file; restore the store's `.keys` file", cause: error)
        }
        guard file.format == formatName else {
            throw StoreError(code: .notARapportStore, message: "\(path) is not a Rapport key file; restore the store's `.keys` file")
        }
        guard file.version == currentVersion, file.cipher == cipherName, file.pageSize == PageLayout.pageSize,
            file.fileId.count == 16
        else {
            throw StoreError(
                code: .unsupportedFormat,
                message: "key file version \(file.version) with cipher \(file.cipher) is not supported by this build; update the app")
        }
        return file
    }

    /// Writes the key file atomically, shredding the content it replaces.
    func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(self)
        try SecureFile.replace(at: path, with: data)
    }
}
