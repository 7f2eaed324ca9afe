import RapportCryptoCore

/// How an ``EncryptedStore`` is opened and how it indexes records.
///
/// ```swift
/// var configuration = StoreConfiguration()
/// configuration.pageCacheKiB = 32 * 1024   // a bigger page cache for a big customer base
/// ```
public struct StoreConfiguration: Sendable {
    /// scrypt cost for passcode credentials, recorded in the key file when a passcode slot is
    /// written. Use ``RapportCryptoCore/ScryptParameters/testing`` only in tests.
    public var scrypt: ScryptParameters
    /// SQLite's page cache per connection, in KiB. Decrypted pages stay here, so a cache hit
    /// costs no decryption.
    public var pageCacheKiB: Int
    /// The most concurrent readers.
    public var maximumReaderCount: Int
    /// Field names (the last component of a dotted path) whose string values go into the
    /// full-text index besides the record name.
    public var searchableFields: Set<String>
    /// The most bytes the database file may take (`nil`: no limit but the disk's). A write that
    /// would grow the store beyond it is refused as a whole with ``StoreError/Code/storeFull`` and
    /// nothing of it is kept; the store stays intact and readable, and syncing (which removes
    /// pushed outbox entries) or a higher limit lets edits in again. Enforced with SQLite's
    /// `max_page_count`, so it counts database pages (4 KiB each), not the write-ahead log, and
    /// never shrinks a store already larger than the limit.
    ///
    /// ```swift
    /// var configuration = StoreConfiguration()
    /// configuration.maximumSizeBytes = 512 << 20   // 512 MiB for this device's data
    /// ```
    public var maximumSizeBytes: Int?

    /// Journal mode; the store always uses WAL, tests may use a persistent rollback journal.
    var journal: Journal = .wal

    enum Journal: Sendable {
        case wal
        case persistentRollback
    }

    /// Decrypt-ahead of sequential page reads (see `PageReadAhead`); tests use `.inline`.
    var decryptAhead: DecryptAhead = .background

    enum DecryptAhead: Sendable {
        case off
        /// On the process's decrypt-ahead thread (the default).
        case background
        /// By the reading thread itself, right after it asks for the pages: the same buffer
        /// rules, deterministic, so tests can count on pages being taken from the buffer.
        case inline
    }

    /// The defaults: interactive scrypt, an 8 MiB page cache, four readers, names, companies,
    /// contact details and notes searchable.
    public init(
        scrypt: ScryptParameters = .interactive,
        pageCacheKiB: Int = 8 * 1024,
        maximumReaderCount: Int = 4,
        searchableFields: Set<String> = StoreConfiguration.defaultSearchableFields,
        maximumSizeBytes: Int? = nil
    ) {
        self.maximumSizeBytes = maximumSizeBytes
        self.scrypt = scrypt
        self.pageCacheKiB = pageCacheKiB
        self.maximumReaderCount = maximumReaderCount
        self.searchableFields = searchableFields
    }

    /// The default full-text fields.
    public static let defaultSearchableFields: Set<String> = [
        "name", "fullName", "code", "company", "companyName", "legalName", "legalRepresentative",
        "employer", "personInCharge", "title", "notes", "note", "summary", "subject", "description",
        "email", "emails", "phone", "phones", "mobile",
    ]
}
