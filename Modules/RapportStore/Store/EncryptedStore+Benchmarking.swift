import Foundation
import GRDB

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
