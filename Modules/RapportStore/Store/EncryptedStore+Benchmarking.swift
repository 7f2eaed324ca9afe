import Foundation
import GRDB
import Synchronization

extension EncryptedStore {
    /// Opens (or creates) the same store schema on a plain SQLite file with the default VFS,
    /// no encryption: the baseline the benchmark compares against. Not for app use.
    @_spi(Benchmarking)
    public static func openUnencrypted(
        at path: String, configuration: StoreConfiguration = StoreConfiguration()
    ) async throws -> EncryptedStore {
        let store = EncryptedStore(path: path, configuration: configuration, encrypted: false)
        try await store.attachPlain()
        return store
    }

    private func attachPlain() throws {
        do {
            database = try Self.openDatabase(path: path, configuration: configuration, encrypted: false)
        } catch {
            throw Self.storeError(error, entry: nil)
        }
    }
}

extension EncryptedStore {
    /// Pages decrypted and encrypted by the VFS for this store since it was opened (zero for a
    /// plain store): the benchmark divides them by the work done. Not for app use.
    @_spi(Benchmarking)
    public func pageCipherCounts() -> (opened: Int, sealed: Int) {
        keyEntry?.pageCounts ?? (0, 0)
    }
}

extension EncryptedStore {
    /// Turns decrypt-ahead of sequential page reads on or off for stores opened from now on in
    /// this process (on by default), so the benchmark can measure both. Not for app use.
    @_spi(Benchmarking)
    public static func setDecryptAhead(_ enabled: Bool) {
        EncryptedVFS.decryptAhead.store(enabled, ordering: .relaxed)
    }

    /// Pages the decrypt-ahead thread decrypted for this store, and how many of them SQLite
    /// then read from its buffer instead of decrypting. Not for app use.
    @_spi(Benchmarking)
    public func readAheadCounts() -> (decrypted: Int, taken: Int) {
        keyEntry?.readAheadCounts ?? (0, 0)
    }
}
