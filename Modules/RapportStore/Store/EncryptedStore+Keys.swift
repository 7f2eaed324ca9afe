import Foundation
import GRDB

extension EncryptedStore {
    /// Replaces the passcode. Only the key file changes (the data key is re-wrapped), so it
    /// takes the same time whatever the size of the store.
    ///
    /// - Throws: ``StoreError/Code/wrongKey`` if `old` is not the current passcode.
    public func changePasscode(from old: String, to new: String) async throws {
        guard var keyFile else { throw StoreError(code: .closed, message: "the store is closed; open it again") }
        guard !new.isEmpty else { throw StoreError(code: .invalidArgument, message: "the new passcode is empty; ask the user for one") }
        let dataKey = try keyFile.unlock(with: .passcode(old))
        let slot = try KeySlot.make(for: .passcode(new), dataKey: dataKey, fileId: [UInt8](keyFile.fileId), scrypt: configuration.scrypt)
        keyFile.slots.removeAll { $0.kind == .passcode }
        keyFile.slots.append(slot)
        try keyFile.write(to: keyFilePath)
        self.keyFile = keyFile
    }

    /// Adds (or replaces) a credential, authorised by one the store already has.
    public func setCredential(_ credential: StoreCredential, authorizedBy existing: StoreCredential) async throws {
        guard var keyFile else { throw StoreError(code: .closed, message: "the store is closed; open it again") }
        let dataKey = try keyFile.unlock(with: existing)
        let slot = try KeySlot.make(for: credential, dataKey: dataKey, fileId: [UInt8](keyFile.fileId), scrypt: configuration.scrypt)
        keyFile.slots.removeAll { $0.kind == credential.slotKind }
        keyFile.slots.append(slot)
        try keyFile.write(to: keyFilePath)
        self.keyFile = keyFile
    }

    /// Re-encrypts the whole store under a fresh data key and file id, wrapped for
    /// `credentials` (which replace the old ones).
    ///
    /// A fresh encrypted copy is written next to the store (progress is reported from 0 to 1
    /// as pages are copied), then swapped in with a rename; the old key file is shredded.
    /// If the process dies part-way, the next ``open(at:credential:configuration:)`` either
    /// finishes the swap or discards the copy.
    public func rotateDataKey(
        credentials: [StoreCredential], progress: (@Sendable (Double) -> Void)? = nil
    ) async throws {
        guard let source = database, let oldEntry = keyEntry else {
            throw StoreError(code: .closed, message: "the store is closed; open it again")
        }
        let dataKey = ClientKey.generate(byteCount: 32)
        let fileId = ClientCrypto.randomBytes(count: 16)
        let newKeyFile = try KeyFile.make(dataKey: dataKey, fileId: fileId, credentials: credentials, scrypt: configuration.scrypt)
        let copyPath = path + ".rotating"
        let nextKeyPath = keyFilePath + ".next"
        for suffix in ["", "-wal", "-shm", "-journal"] { SecureFile.remove(at: copyPath + suffix) }

        let newEntry = try VFSKeyRegistry.register(pageKey: try KeyFile.pageKey(dataKey: dataKey, fileId: fileId), fileId: fileId)
        defer { VFSKeyRegistry.remove(newEntry) }
        do {
            let copy = try Self.openDatabase(
                path: EncryptedVFS.uri(path: copyPath, token: newEntry.token), configuration: configuration, encrypted: true)
            try source.backup(to: copy, pagesPerStep: 64) { step in
                if step.totalPageCount > 0 {
                    progress?(Double(step.completedPageCount) / Double(step.totalPageCount))
                }
            }
            try copy.close()
        } catch {
            for suffix in ["", "-wal", "-shm", "-journal"] { SecureFile.remove(at: copyPath + suffix) }
            throw Self.storeError(error, entry: newEntry)
        }
        try newKeyFile.write(to: nextKeyPath)

        // Swap: close the old connections, put the copy in place, then install its key file.
        try? source.close()
        database = nil
        keyEntry = nil
        VFSKeyRegistry.remove(oldEntry)
        for suffix in ["-wal", "-shm", "-journal"] { SecureFile.remove(at: path + suffix) }
        guard rename(copyPath, path) == 0 else {
            throw StoreError(code: .io, message: "could not move the re-encrypted copy into place (errno \(errno)); open the store again to recover")
        }
        SecureFile.syncDirectory(of: path)
        try newKeyFile.write(to: keyFilePath)
        SecureFile.remove(at: nextKeyPath)
        progress?(1)
        try attach(dataKey: dataKey, keyFile: newKeyFile)
    }

    /// Crypto-shreds the store: the wrapped keys are overwritten, synced and deleted first,
    /// then the database, WAL and shared-memory files are deleted. A copy of the files taken
    /// before is useless without a credential, and one taken after is useless entirely.
    public func wipe() async throws {
        if let database { try? database.close() }
        database = nil
        if let keyEntry { VFSKeyRegistry.remove(keyEntry) }
        keyEntry = nil
        keyFile = nil
        SecureFile.shred(at: keyFilePath)
        SecureFile.shred(at: keyFilePath + ".next")
        SecureFile.remove(at: keyFilePath + ".tmp")
        for file in databaseFiles { SecureFile.remove(at: file) }
        for suffix in ["", "-wal", "-shm", "-journal"] { SecureFile.remove(at: path + ".rotating" + suffix) }
        SecureFile.syncDirectory(of: path)
    }

    /// Crypto-shreds the store at `path` without opening it (for example when its key is no
    /// longer available): the key file is overwritten and deleted first, then the database
    /// files. Missing files are fine.
    public static func destroy(at path: String) {
        let store = EncryptedStore(path: path, configuration: StoreConfiguration(), encrypted: true)
        SecureFile.shred(at: store.keyFilePath)
        SecureFile.shred(at: store.keyFilePath + ".next")
        SecureFile.remove(at: store.keyFilePath + ".tmp")
        for file in store.databaseFiles { SecureFile.remove(at: file) }
        for suffix in ["", "-wal", "-shm", "-journal"] { SecureFile.remove(at: path + ".rotating" + suffix) }
        SecureFile.syncDirectory(of: path)
    }

    /// Closes the connections and forgets the key. Later calls fail with
    /// ``StoreError/Code/closed``.
    public func close() async throws {
        let database = self.database
        self.database = nil
        keyFile = nil
        defer {
            if let keyEntry { VFSKeyRegistry.remove(keyEntry) }
            keyEntry = nil
        }
        if let database {
            do {
                try database.close()
            } catch {
                throw Self.storeError(error, entry: keyEntry)
            }
        }
    }
}
