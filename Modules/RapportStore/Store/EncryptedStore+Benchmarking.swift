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

extension EncryptedStore {
    /// Seals and then opens `pages` database pages with the VFS's own page codec (what every
    /// encrypted read and write runs, nonce and associated data included, minus the file I/O)
    /// and returns the time it took. Run under `valgrind --tool=memcheck` with two page counts,
    /// the heap totals show what each page allocates (`Docs/Performance.md`). Not for app use.
    @_spi(Benchmarking)
    public static func runPageCodec(pages: Int) throws -> Duration {
        let entry = VFSKeyEntry(
            token: "page-codec-benchmark", pageKey: ClientKey.generate(byteCount: 32),
            walMaskKey: ClientKey.generate(byteCount: 32), fileId: ClientCrypto.randomBytes(count: 16))
        let plain = UnsafeMutableRawBufferPointer.allocate(byteCount: PageLayout.pageSize, alignment: 16)
        let sealed = UnsafeMutableRawBufferPointer.allocate(byteCount: PageLayout.pageSize, alignment: 16)
        defer {
            plain.deallocate()
            sealed.deallocate()
        }
        plain.initializeMemory(as: UInt8.self, repeating: 0x5a)
        sealed.initializeMemory(as: UInt8.self, repeating: 0)
        return try EncryptedFile.withDetachedCodec(role: .main, entry: entry) { codec in
            var failed = false
            let elapsed = ContinuousClock().measure {
                for index in 0..<pages where !failed {
                    // Page 1 keeps a clear prefix; ordinary pages start at 2.
                    let number = UInt32(2 + index % 1024)
                    if !codec.seal(plain.baseAddress!, into: sealed.baseAddress!, page: number, frameOffset: nil)
                        || codec.open(sealed.baseAddress!, into: plain.baseAddress!, page: number, frameOffset: nil) != nil
                    {
                        failed = true
                    }
                }
            }
            guard !failed else {
                throw StoreError(code: .pageAuthenticationFailed, message: "the page codec failed to open a page it sealed; the crypto backend is broken")
            }
            return elapsed
        }
    }
}
