import Foundation
import GRDB

extension EncryptedStore {
    /// Creates a new encrypted store at `path` (and its key file `<path>.keys`).
    ///
    /// A random 256-bit data key is made and wrapped once per credential.
    ///
    /// - Throws: ``StoreError/Code/alreadyExists`` if a store or key file is there;
    ///   ``StoreError/Code/invalidArgument`` for no credentials or an empty passcode.
    public static func create(
        at path: String, credentials: [StoreCredential], configuration: StoreConfiguration = StoreConfiguration()
    ) async throws -> EncryptedStore {
        try EncryptedVFS.register()
        let store = EncryptedStore(path: path, configuration: configuration, encrypted: true)
        guard !SecureFile.exists(path), !SecureFile.exists(store.keyFilePath) else {
            throw StoreError(code: .alreadyExists, message: "a store already exists at \(path); open it, or wipe it first")
        }
        let dataKey = ClientKey.generate(byteCount: 32)
        let fileId = ClientCrypto.randomBytes(count: 16)
        let keyFile = try KeyFile.make(dataKey: dataKey, fileId: fileId, credentials: credentials, scrypt: configuration.scrypt)
        try keyFile.write(to: store.keyFilePath)
        do {
            try await store.attach(dataKey: dataKey, keyFile: keyFile)
        } catch {
            SecureFile.shred(at: store.keyFilePath)
            for file in store.databaseFiles { SecureFile.remove(at: file) }
            throw error
        }
        return store
    }

    /// Opens an existing store with one of its credentials.
    ///
    /// Finishes or rolls back an interrupted data-key rotation first.
    ///
    /// - Throws: ``StoreError/Code/notFound`` if there is no store; ``StoreError/Code/wrongKey``
    ///   for a wrong passcode or key; ``StoreError/Code/notARapportStore``,
    ///   ``StoreError/Code/keyFileMismatch``, ``StoreError/Code/truncated`` or a page integrity
    ///   code if the files are not a sound store.
    public static func open(
        at path: String, credential: StoreCredential, configuration: StoreConfiguration = StoreConfiguration()
    ) async throws -> EncryptedStore {
        try EncryptedVFS.register()
        let store = EncryptedStore(path: path, configuration: configuration, encrypted: true)
        guard SecureFile.exists(path) || SecureFile.exists(store.keyFilePath) else {
            throw StoreError(code: .notFound, message: "there is no store at \(path); create one first")
        }
        let keyFile = try store.resolveKeyFile()
        if let size = SecureFile.size(path), size % Int64(PageLayout.pageSize) != 0 {
            throw StoreError(
                code: .truncated,
                message: "the database file is \(size) bytes, not a whole number of pages: it was cut short; restore it from a backup or re-sync the store")
        }
        let dataKey = try keyFile.unlock(with: credential)
        try await store.attach(dataKey: dataKey, keyFile: keyFile)
        return store
    }

    /// Registers the page key with the VFS and opens the connections.
    func attach(dataKey: ClientKey, keyFile: KeyFile) throws {
        let fileId = [UInt8](keyFile.fileId)
        let pageKey = try KeyFile.pageKey(dataKey: dataKey, fileId: fileId)
        let entry = try VFSKeyRegistry.register(pageKey: pageKey, fileId: fileId, decryptAhead: configuration.decryptAhead)
        do {
            try checkLength(entry: entry)
            database = try Self.openDatabase(
                path: EncryptedVFS.uri(path: path, token: entry.token), configuration: configuration, encrypted: true)
        } catch {
            let mapped = Self.storeError(error, entry: entry)
            try? database?.close()
            database = nil
            VFSKeyRegistry.remove(entry)
            throw mapped
        }
        keyEntry = entry
        self.keyFile = keyFile
    }

    /// Compares the page count in the (decrypted) database header with the file size, when no
    /// WAL can hold the missing pages.
    private func checkLength(entry: VFSKeyEntry) throws {
        guard let size = SecureFile.size(path), size > 0, (SecureFile.size(path + "-wal") ?? 0) == 0,
            let header = SecureFile.prefix(path, count: PageLayout.pageSize), header.count == PageLayout.pageSize
        else { return }
        guard let pages = EncryptedFile.headerPageCount(pageOne: header, entry: entry) else { return }
        let filePages = size / Int64(PageLayout.pageSize)
        if Int64(pages) > filePages {
            throw PageFailure.truncated(page: UInt32(filePages) + 1).storeError
        }
    }

    /// Picks the key file that matches the database file, finishing an interrupted rotation.
    nonisolated func resolveKeyFile() throws -> KeyFile {
        let nextPath = keyFilePath + ".next"
        let prefix = SecureFile.prefix(path, count: 16) ?? []
        if prefix == PageLayout.sqliteMagic {
            throw PageFailure.notEncrypted.storeError
        }
        let current = Result { try KeyFile.read(at: keyFilePath) }
        let next = SecureFile.exists(nextPath) ? try? KeyFile.read(at: nextPath) : nil
        let hasPages = prefix.count == 16
        if case .success(let file) = current, !hasPages || [UInt8](file.fileId) == prefix {
            // A rotation that did not reach its swap: drop its leftovers.
            if next != nil { SecureFile.shred(at: nextPath) }
            for suffix in ["", "-wal", "-shm", "-journal"] { SecureFile.remove(at: path + ".rotating" + suffix) }
            return file
        }
        if let next, hasPages, [UInt8](next.fileId) == prefix {
            // The new database is in place; finish by installing its key file.
            try next.write(to: keyFilePath)
            SecureFile.remove(at: nextPath)
            return next
        }
        let file = try current.get()
        _ = file
        throw PageFailure.fileIdMismatch.storeError
    }
}
