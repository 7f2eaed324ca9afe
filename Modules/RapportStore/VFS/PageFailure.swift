/// Which of a store's files a VFS handle is: the database, its WAL or its rollback journal.
enum FileRole: UInt8, Sendable {
    case main = 1
    case wal = 2
    case journal = 3

    var name: String {
        switch self {
        case .main: "database"
        case .wal: "WAL"
        case .journal: "rollback journal"
        }
    }
}

/// An integrity or layout failure seen by the encrypting VFS, kept so the store can turn the
/// bare SQLite error code into a precise ``StoreError``.
enum PageFailure: Sendable, Equatable {
    /// The page at `page` of `role` did not authenticate.
    case authentication(role: FileRole, page: UInt32)
    /// An authentic page that belongs at `foundPage` sits at `page`.
    case misplaced(role: FileRole, page: UInt32, foundPage: UInt32)
    /// A page the database needs lies (partly) beyond the end of the file.
    case truncated(page: UInt32)
    /// The database file starts with SQLite's plaintext header: it is not encrypted.
    case notEncrypted
    /// The database file carries another store's file id.
    case fileIdMismatch
    /// SQLite asked for an I/O the page layer cannot do (unaligned or unexpected size).
    case unsupportedAccess(role: FileRole, offset: Int64, count: Int32, write: Bool)
    /// Page 1 was about to be written without the reserved bytes the layer needs.
    case reserveMissing(found: UInt8)

    /// The error the store reports for this failure.
    var storeError: StoreError {
        switch self {
        case .authentication(let role, let page):
            StoreError(
                code: .pageAuthenticationFailed,
                message: "page \(page) of the \(role.name) failed authentication: the file was altered or damaged; restore it from a backup or re-sync the store",
                pageNumber: page)
        case .misplaced(let role, let page, let foundPage):
            StoreError(
                code: .pagesSwapped,
                message: "position \(page) of the \(role.name) holds page \(foundPage): pages were swapped or moved; restore the file from a backup or re-sync the store",
                pageNumber: page)
        case .truncated(let page):
            StoreError(
                code: .truncated,
                message: "the database file ends before page \(page): it was cut short; restore it from a backup or re-sync the store",
                pageNumber: page)
        case .notEncrypted:
            StoreError(
                code: .notARapportStore,
                message: "the file is a plain SQLite database, not an encrypted Rapport store; open it with SQLite, or create a new store")
        case .fileIdMismatch:
            StoreError(
                code: .keyFileMismatch,
                message: "the database file does not belong to this key file; put the matching `.keys` file next to it")
        case .unsupportedAccess(let role, let offset, let count, let write):
            StoreError(
                code: .database,
                message: "the encrypting VFS refused an unaligned \(write ? "write" : "read") of \(count) bytes at offset \(offset) of the \(role.name); this is a bug, please report it")
        case .reserveMissing(let found):
            StoreError(
                code: .database,
                message: "page 1 has \(found) reserved bytes per page, the page layer needs \(PageLayout.reservedByteCount); the database was not created by EncryptedStore")
        }
    }
}
