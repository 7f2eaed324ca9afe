import Foundation
import Synchronization

/// The key material of one open store file, as the VFS sees it.
///
/// Immutable but for the failure slot (guarded by a lock) and the page counters (atomics).
final class VFSKeyEntry: @unchecked Sendable {
    /// The handle in the database URI (`rapport-key=`); random, not secret.
    let token: String
    /// The AES-256-GCM page key, derived from the data key.
    let pageKey: ClientKey
    /// The key that masks WAL frame checksums (derived from the page key; never used to seal pages).
    let walMaskKey: ClientKey
    /// The store's random 16-byte file id, bound into every page's associated data.
    let fileId: [UInt8]
    /// How the store's main-database handles decrypt ahead.
    let decryptAhead: StoreConfiguration.DecryptAhead
    /// Pages decrypted / encrypted through this entry's handles (diagnostics for the benchmark).
    private let pagesOpened = Atomic<Int>(0)
    private let pagesSealed = Atomic<Int>(0)
    /// Pages decrypted by the decrypt-ahead thread, and those of them SQLite then took.
    private let pagesDecryptedAhead = Atomic<Int>(0)
    private let readAheadHits = Atomic<Int>(0)
    private let lock = NSLock()
    private var failure: PageFailure?

    init(
        token: String, pageKey: ClientKey, walMaskKey: ClientKey, fileId: [UInt8],
        decryptAhead: StoreConfiguration.DecryptAhead = .background
    ) {
        self.decryptAhead = decryptAhead
        self.token = token
        self.pageKey = pageKey
        self.walMaskKey = walMaskKey
        self.fileId = fileId
    }

    /// Counts one page decryption attempt.
    @inline(__always)
    func countOpened() { pagesOpened.add(1, ordering: .relaxed) }

    /// Counts one page encryption.
    @inline(__always)
    func countSealed() { pagesSealed.add(1, ordering: .relaxed) }

    /// Counts one page decrypted by the decrypt-ahead thread.
    @inline(__always)
    func countDecryptedAhead() { pagesDecryptedAhead.add(1, ordering: .relaxed) }

    /// Counts one page SQLite took from the decrypt-ahead buffer.
    @inline(__always)
    func countReadAheadHit() { readAheadHits.add(1, ordering: .relaxed) }

    /// Pages decrypted ahead and pages taken from the decrypt-ahead buffers so far.
    var readAheadCounts: (decrypted: Int, taken: Int) {
        (pagesDecryptedAhead.load(ordering: .relaxed), readAheadHits.load(ordering: .relaxed))
    }

    /// Pages decrypted (on the reading threads) and encrypted so far.
    var pageCounts: (opened: Int, sealed: Int) {
        (pagesOpened.load(ordering: .relaxed), pagesSealed.load(ordering: .relaxed))
    }

    /// Records a failure; the first one since the last ``takeFailure()`` is kept.
    func record(_ failure: PageFailure) {
        lock.withLock {
            if self.failure == nil { self.failure = failure }
        }
    }

    /// Returns and clears the recorded failure.
    func takeFailure() -> PageFailure? {
        lock.withLock {
            defer { failure = nil }
            return failure
        }
    }
}

/// The process-wide table from URI token to key material.
///
/// A store registers its page key before opening its connections and removes it after
/// closing them. Keys live only in memory (``ClientKey`` wipes its bytes on release);
/// a database opened with the VFS but without a registered token is refused. The table is
/// consulted only in `xOpen`, never on the page path.
enum VFSKeyRegistry {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var entries: [String: VFSKeyEntry] = [:]

    /// Registers key material and returns its entry (with a fresh random token). The WAL
    /// checksum mask key is derived here: `HKDF-SHA256(page key, salt: file id, info:
    /// "rapport.store.walmask.v1")`.
    static func register(
        pageKey: ClientKey, fileId: [UInt8], decryptAhead: StoreConfiguration.DecryptAhead = .background
    ) throws -> VFSKeyEntry {
        let maskKey = try ClientCrypto.deriveKey(from: pageKey, salt: fileId, info: Array("rapport.store.walmask.v1".utf8))
        let token = ClientCrypto.randomBytes(count: 16).map { String(format: "%02x", $0) }.joined()
        let entry = VFSKeyEntry(token: token, pageKey: pageKey, walMaskKey: maskKey, fileId: fileId, decryptAhead: decryptAhead)
        lock.withLock { entries[token] = entry }
        return entry
    }

    /// The entry for a token, if registered.
    static func entry(token: String) -> VFSKeyEntry? {
        lock.withLock { entries[token] }
    }

    /// Removes an entry; connections already open keep their own cipher contexts.
    static func remove(_ entry: VFSKeyEntry) {
        _ = lock.withLock { entries.removeValue(forKey: entry.token) }
    }
}
